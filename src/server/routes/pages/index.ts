/** The public pages, one module per area; staff pages (desk, editions) will register here too. */
import type { FastifyPluginAsync } from 'fastify';
import type { ServerContext } from '../../context.ts';
import { apiDocsPage } from './api-docs.ts';
import { askPages } from './ask.ts';
import { downloadsPage } from './downloads.ts';
import { editionPages } from './editions.ts';
import { homePage } from './home.ts';
import { jurisdictionPages } from './jurisdiction.ts';
import { lawPages } from './law.ts';
import { mapPage } from './map.ts';

export function pageRoutes(ctx: ServerContext): FastifyPluginAsync {
  return async (app) => {
    await app.register(homePage(ctx));
    await app.register(lawPages(ctx));
    await app.register(jurisdictionPages(ctx));
    await app.register(askPages(ctx));
    await app.register(editionPages(ctx));
    await app.register(mapPage(ctx));
    await app.register(downloadsPage(ctx));
    await app.register(apiDocsPage());
  };
}
