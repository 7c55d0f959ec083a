/** Median, minimum and maximum of several runs: benchmarks quote the median. */
export interface Figure {
  name: string;
  unit: string;
  runs: number[];
  median: number;
  min: number;
  max: number;
  /** what the issue asks for, e.g. `>= 150000` */
  target?: string;
}

export function figure(name: string, unit: string, runs: number[], target?: string): Figure {
  const sorted = [...runs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { name, unit, runs, median, min: sorted[0]!, max: sorted[sorted.length - 1]!, target };
}

export function formatFigure(f: Figure): string {
  const n = (x: number) => (x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(2));
  return `${f.name.padEnd(58)} median ${n(f.median).padStart(11)} ${f.unit.padEnd(12)} (min ${n(f.min)}, max ${n(f.max)}, ${f.runs.length} runs)${f.target ? `  target ${f.target}` : ''}`;
}
