/** The HTML page for an error on a public page (the API answers with problem+json instead). */
import { html } from '../../html.ts';
import { page } from '../../layout.ts';
import type { HttpProblem } from '../../problem.ts';

export function errorPage(problem: HttpProblem): string {
  const title = problem.status === 404 ? 'Not found' : problem.status >= 500 ? 'Server error' : 'Bad request';
  return page(
    { title },
    html`<h1>${title}</h1>
      <p class="problem">${problem.message}</p>
      <p><a href="/">Home</a> · <a href="/law">Law library</a></p>`,
  );
}
