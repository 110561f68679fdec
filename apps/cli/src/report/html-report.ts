import type { ExportManifest, VerifyReport } from '@termline/audit';
import { diffVersions } from '@termline/text';
import { diffWordsWithSpace } from 'diff';

/**
 * A printable, self-contained HTML report of an export: what was verified (and whether it held), then per
 * document its chain positions, its versions, and each change with the removed and added words highlighted.
 * No script, no outside resource: it opens the same anywhere, years later, and prints.
 */
export interface ReportVersion {
  version: number;
  validFrom: string;
  textSha256: string;
  text: string;
  technicalUpgrade: boolean;
  commitHash: string;
}

export interface ReportDocument {
  documentId: string;
  versions: ReportVersion[];
}

const escape = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const STYLE = `
body { font: 14px/1.45 Georgia, 'Times New Roman', serif; color: #111; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1, h2, h3 { font-family: Helvetica, Arial, sans-serif; }
h2 { border-bottom: 2px solid #333; padding-bottom: .2rem; margin-top: 2.5rem; }
table { border-collapse: collapse; width: 100%; font: 12px/1.4 Helvetica, Arial, sans-serif; }
th, td { border: 1px solid #bbb; padding: .25rem .4rem; text-align: left; vertical-align: top; }
code, .hash { font: 11px/1.3 Menlo, Consolas, monospace; word-break: break-all; }
.ok { color: #05620f; } .failed { color: #a10000; }
.diff { font: 12px/1.5 Menlo, Consolas, monospace; white-space: pre-wrap; border: 1px solid #ccc; padding: .5rem; }
.diff .line { display: block; } .diff .hunk { color: #555; background: #eef; }
.diff .del { background: #fde8e8; } .diff .ins { background: #e6f6e6; }
del { background: #f5b5b5; text-decoration: line-through; } ins { background: #9fe09f; text-decoration: none; }
.meta { color: #444; font-size: 12px; }
@media print { body { margin: 0; max-width: none; } h2 { page-break-before: always; } .diff { page-break-inside: auto; } }
`;

/** A unified patch with the words that changed between a removed line and the added line after it highlighted. */
export function highlightPatch(patch: string): string {
  const lines = patch
    .split('\n')
    .filter(
      (line) =>
        !line.startsWith('---') &&
        !line.startsWith('+++') &&
        !line.startsWith('Index:') &&
        !line.startsWith('====='),
    );
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const next = lines[i + 1];
    if (line.startsWith('-') && next?.startsWith('+')) {
      const parts = diffWordsWithSpace(line.slice(1), next.slice(1));
      out.push(
        `<span class="line del">-${parts
          .filter((p) => !p.added)
          .map((p) => (p.removed ? `<del>${escape(p.value)}</del>` : escape(p.value)))
          .join('')}</span>`,
      );
      out.push(
        `<span class="line ins">+${parts
          .filter((p) => !p.removed)
          .map((p) => (p.added ? `<ins>${escape(p.value)}</ins>` : escape(p.value)))
          .join('')}</span>`,
      );
      i += 1;
    } else if (line.startsWith('@@')) out.push(`<span class="line hunk">${escape(line)}</span>`);
    else if (line.startsWith('-')) out.push(`<span class="line del"><del>${escape(line)}</del></span>`);
    else if (line.startsWith('+')) out.push(`<span class="line ins"><ins>${escape(line)}</ins></span>`);
    else if (line !== '' && !line.startsWith('\\')) out.push(`<span class="line">${escape(line)}</span>`);
  }
  return out.join('');
}

export function htmlReport(
  manifest: ExportManifest,
  verification: VerifyReport,
  documents: readonly ReportDocument[],
  source: string,
): string {
  const status = verification.ok
    ? `<p class="ok"><strong>Verified.</strong> Every file hash, the root hash, every commit hash and link, every text and snapshot hash${manifest.signature ? ' and the signature' : ''} hold.</p>`
    : `<p class="failed"><strong>Verification FAILED (${verification.problems.length} problems).</strong> Do not rely on this history.</p><ul>${verification.problems
        .map(
          (p) =>
            `<li class="failed"><code>${escape(p.check)}</code> ${escape(p.where)}: ${escape(p.message)}</li>`,
        )
        .join('')}</ul>`;
  const request = manifest.request;
  const scope =
    request.scope.kind === 'document'
      ? `document ${request.scope.documentId}`
      : request.scope.kind === 'service'
        ? `service ${request.scope.service}`
        : 'the whole collection';
  const sections = documents.map((document) => {
    const stream = manifest.streams.find((s) => s.documentId === document.documentId);
    const rows = document.versions
      .map(
        (v) =>
          `<tr><td>${v.version}</td><td>${escape(v.validFrom)}</td><td>${v.technicalUpgrade ? 'technical upgrade' : 'change'}</td><td class="hash">${escape(v.textSha256)}</td><td class="hash">${escape(v.commitHash)}</td></tr>`,
      )
      .join('');
    const changes = document.versions.slice(1).map((version, index) => {
      const previous = document.versions[index]!;
      const diff = diffVersions(previous.text, version.text, {
        oldName: `version ${previous.version}`,
        newName: `version ${version.version}`,
      });
      return `<h3>Version ${previous.version} → ${version.version} <span class="meta">(${escape(version.validFrom)}; ${escape(diff.materiality.level)}; +${diff.stats.wordsAdded} / −${diff.stats.wordsRemoved} words)</span></h3>
<div class="diff">${highlightPatch(diff.patch)}</div>`;
    });
    const first = document.versions[0];
    return `<h2>${escape(document.documentId)}</h2>
<p class="meta">Stream versions ${stream?.firstVersion ?? '?'}–${stream?.lastVersion ?? '?'}; last link <span class="hash">${escape(stream?.last.hash ?? '')}</span>${
      stream?.anchor
        ? `; follows link <span class="hash">${escape(stream.anchor.hash)}</span> (version ${stream.anchor.version})`
        : '; from the start of the history'
    }; head at export <span class="hash">${escape(stream?.head.hash ?? '')}</span>.</p>
<table><thead><tr><th>Version</th><th>Valid from</th><th>Kind</th><th>Text sha256</th><th>Commit hash</th></tr></thead><tbody>${rows}</tbody></table>
${first ? `<h3>Version ${first.version} <span class="meta">(first in this export, ${first.text.length} characters)</span></h3>` : ''}
${changes.join('\n')}`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Termline audit report: ${escape(scope)}</title><style>${STYLE}</style></head>
<body>
<h1>Termline audit report</h1>
<p class="meta">Export <code>${escape(source)}</code> of ${escape(scope)}${request.from || request.to ? `, from ${escape(request.from ?? 'the start')} to ${escape(request.to ?? 'the end')}` : ''}; made ${escape(manifest.createdAt)} for ${escape(manifest.requestedBy)}.
Root hash <span class="hash">${escape(manifest.rootHash)}</span>${manifest.signature ? `; signed with Ed25519 key <span class="hash">${escape(manifest.signature.keyId)}</span>` : '; unsigned'}.</p>
${status}
<table><thead><tr><th>Documents</th><th>Commits</th><th>Observations</th><th>Versions</th><th>Retractions</th><th>Snapshots</th></tr></thead>
<tbody><tr><td>${manifest.counts.documents}</td><td>${manifest.counts.commits}</td><td>${manifest.counts.observations}</td><td>${manifest.counts.versions}</td><td>${manifest.counts.retractions}</td><td>${manifest.counts.snapshots}</td></tr></tbody></table>
${sections.join('\n')}
</body></html>
`;
}
