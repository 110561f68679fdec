#!/usr/bin/env node
// `npm run start:distributed`: gateway, versioning and projection as three processes against KAFKA_BROKERS and
// MONGODB_URI (defaults: the services of `npm run infra:up`). Ctrl-C stops all three; if one dies, all stop.
const { spawn } = require('node:child_process');
const path = require('node:path');

const apps = ['versioning', 'projection', 'gateway'];
const children = apps.map((app) => {
  const child = spawn(process.execPath, [path.join(__dirname, '..', 'dist', 'apps', app, 'src', 'main.js')], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: process.env,
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (chunk) => {
      for (const line of chunk.toString().split('\n')) if (line) process.stdout.write(`[${app}] ${line}\n`);
    });
  }
  child.on('exit', (code, signal) => {
    console.log(`[${app}] exited (${signal ?? code})`);
    stopAll(code ?? 1);
  });
  return child;
});

let stopping = false;
function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 5000).unref();
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));
