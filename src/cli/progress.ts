import cliProgress from 'cli-progress';

/** A progress bar on a terminal (stderr), nothing when output is piped or in CI. */
export function progressBar(label: string): {
  update: (rows: number, bytes: number, total: number) => void;
  stop: () => void;
} {
  if (!process.stderr.isTTY || process.env.CI) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {rows} rows | {eta_formatted} left`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(rows, bytes, total) {
      if (!started) {
        bar.start(Math.max(total, 1), 0, { rows: 0 });
        started = true;
      }
      bar.update(Math.min(bytes, total), { rows: rows.toLocaleString('en-US') });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
