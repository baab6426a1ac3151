// Output of the audit tool: aligned text tables, CSV and the SVG picture of the filter stages.

import { fixedToDecimal } from './fixed.js';

const text = (v) => (v === null || v === undefined ? '—' : typeof v === 'boolean' ? String(v) : String(v));

/** An aligned text table of `rows` (arrays of cells) under `header`. */
export function table (header, rows) {
  const all = [header, ...rows].map((r) => r.map(text));
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(all[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...all.slice(1).map(line)].join('\n');
}

/** The verification rows, grouped, as one table. */
export function verifyTable (rows) {
  return table(['quantity', 'computed', 'on-chain', 'diff'], rows.map((r) => [
    `${r.group}: ${r.quantity}`, r.computed, r.onchain, r.ok ? text(r.diff) : `${text(r.diff)}  <-- MISMATCH`
  ]));
}

const csvCell = (v) => {
  const s = text(v === null || v === undefined ? '' : v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** CSV text of `rows` under `header`. */
export function csv (header, rows) {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}

/** A U64F64 share as a percentage with 4 decimals. */
export function pct (bits) {
  return `${fixedToDecimal(bits * 100n, 64, 4)} %`;
}

const escape = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * An SVG bar chart of each subnet's share after each filter stage of one block, with the amount it
 * received. `stages` are Maps netuid → U64F64 bits; `amounts` netuid → units; `subtitle` a line or
 * an array of lines.
 */
export function stagesSvg ({ title, subtitle, stages, amounts, settings, rates = {} }) {
  const names = [
    ['base', 'base weights', '#9aa5b1'],
    ['afterRate', rates && Object.keys(rates).length > 0 ? 'after subnet rates' : 'after subnet rates (all 100 %)', '#b279a2'],
    ['afterErpScaling', settings.erpScaling ? 'after ERP scaling' : 'after ERP scaling (off)', '#4c78a8'],
    ['afterTopProportion', `after top proportion (${settings.topProportion / 10_000} %)`, '#f58518'],
    ['afterAbsoluteLimit', `after absolute limit (${settings.absoluteLimit ?? 'none'})`, '#54a24b']
  ];
  const netuids = [...stages.base.keys()].sort((a, b) => a - b);
  const bar = 22;
  const gap = 34;
  const group = names.length * bar + gap;
  const left = 70;
  const top = 92;
  const height = 300;
  const width = Math.max(left + netuids.length * group + 40, 640);
  const legendY = top + height + 74;
  const y = (bits) => top + height - Number((bits * BigInt(height * 1000)) >> 64n) / 1000;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${legendY + 30}" font-family="sans-serif" font-size="12">`,
    '<rect width="100%" height="100%" fill="white"/>',
    `<text x="${left}" y="24" font-size="16" font-weight="bold">${escape(title)}</text>`,
    ...[].concat(subtitle).map((line, i) => `<text x="${left}" y="${46 + 16 * i}" fill="#444">${escape(line)}</text>`)
  ];
  for (const p of [0, 25, 50, 75, 100]) {
    const py = top + height - (height * p) / 100;
    parts.push(`<line x1="${left - 5}" x2="${width - 20}" y1="${py}" y2="${py}" stroke="#ddd"/>`);
    parts.push(`<text x="${left - 10}" y="${py + 4}" text-anchor="end" fill="#444">${p} %</text>`);
  }
  netuids.forEach((netuid, gi) => {
    const x0 = left + gi * group + gap / 2;
    names.forEach(([key, , color], i) => {
      const bits = stages[key]?.get(netuid) ?? 0n;
      const yy = y(bits);
      parts.push(`<rect x="${x0 + i * bar}" y="${yy.toFixed(2)}" width="${bar - 3}" height="${(top + height - yy).toFixed(2)}" fill="${color}"><title>subnet ${netuid}, ${escape(names[i][1])}: ${pct(bits)}</title></rect>`);
    });
    const cx = x0 + (names.length * bar) / 2;
    parts.push(`<text x="${cx}" y="${top + height + 18}" text-anchor="middle" font-weight="bold">subnet ${netuid}</text>`);
    parts.push(`<text x="${cx}" y="${top + height + 34}" text-anchor="middle" fill="#444">${escape((amounts.get(netuid) ?? 0n).toString())}</text>`);
  });
  parts.push(`<line x1="${left - 5}" x2="${width - 20}" y1="${top + height}" y2="${top + height}" stroke="#333"/>`);
  names.forEach(([, name, color], i) => {
    const lx = left + (i % 2) * 300;
    const ly = legendY + Math.floor(i / 2) * 18;
    parts.push(`<rect x="${lx}" y="${ly - 10}" width="12" height="12" fill="${color}"/>`);
    parts.push(`<text x="${lx + 18}" y="${ly}">${escape(name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
