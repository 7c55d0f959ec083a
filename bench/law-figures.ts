/** The law engine's figures (law issue), from benchLaw, as medians over several runs. */
import { benchLaw } from './law.ts';
import { figure, type Figure } from './stats.ts';

export async function benchLawFigures(runs: number): Promise<Figure[]> {
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await benchLaw());
  return [
    figure(
      'decide in process, full trace',
      'decisions/s',
      results.map((r) => r.withTrace),
      '>= 250,000',
    ),
    figure(
      'decide in process, trace off',
      'decisions/s',
      results.map((r) => r.withoutTrace),
      '>= 1,000,000',
    ),
    figure(
      'law library load and compile',
      'ms',
      results.map((r) => r.loadMs),
      '< 200',
    ),
  ];
}
