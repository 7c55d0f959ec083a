/** The public pages, one module per area; staff pages (desk, editions) will register here too. */
import type { FastifyPluginAsync } from 'fastify';
import type { ServerContext } from '../../context.ts';
import { apiDocsPage } from './api-docs.ts';
import { askPages } from './ask.ts';
import { homePage } from './home.ts';
import { jurisdictionPages } from './jurisdiction.ts';
import { lawPages } from './law.ts';

export function pageRoutes(ctx: ServerContext): FastifyPluginAsync {
  return async (app) => {
    app.addHook('onSend', async (_request, reply, payload) => {
      // pages have no scripts of their own: the policy forbids any that an escaping slip could let in
      if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
        reply.header(
          'content-security-policy',
          "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        );
        reply.header('x-content-type-options', 'nosniff');
      }
      return payload;
    });
    await app.register(homePage(ctx));
    await app.register(lawPages(ctx));
    await app.register(jurisdictionPages(ctx));
    await app.register(askPages(ctx));
    await app.register(apiDocsPage());
  };
}
