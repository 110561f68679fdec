// Readiness probe used by infra.sh: `node probe.js kafka 127.0.0.1:9092` or `node probe.js mongo mongodb://...`.
// Exits 0 when the service answers a real request (Kafka: list topics; MongoDB: ping), 1 otherwise, with the
// reason on stderr. One attempt per run: infra.sh does the waiting.
'use strict';

const [, , kind, target] = process.argv;

async function probeKafka(brokers) {
  const { Kafka, logLevel } = require('kafkajs');
  const kafka = new Kafka({
    clientId: 'termline-infra-probe',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2000,
    requestTimeout: 5000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.listTopics();
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function probeMongo(uri) {
  const { MongoClient } = require('mongodb');
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 2000, connectTimeoutMS: 2000 });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
  } finally {
    await client.close().catch(() => undefined);
  }
}

const probes = { kafka: probeKafka, mongo: probeMongo };

if (!probes[kind] || !target) {
  console.error('usage: node probe.js kafka|mongo <target>');
  process.exit(2);
}

probes[kind](target).then(
  () => process.exit(0),
  (error) => {
    console.error(`${kind}: ${error && error.message ? error.message : String(error)}`);
    process.exit(1);
  },
);
