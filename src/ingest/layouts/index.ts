/** Every layout the importer recognises, in the order detection prefers them on a tie. */
import { canonicalEvents } from './canonical-events.ts';
import { canonicalRequests } from './canonical-requests.ts';
import { ice287g } from './ice-287g.ts';
import { iceAor } from './ice-aor.ts';
import { iceR1 } from './ice-r1.ts';
import { iceR2 } from './ice-r2.ts';
import { iceR3 } from './ice-r3.ts';
import { iceR4 } from './ice-r4.ts';
import { iceR5 } from './ice-r5.ts';
import { nprExtract } from './npr-extract.ts';
import type { Layout, LayoutId } from './types.ts';

export const LAYOUTS: readonly Layout[] = [
  canonicalRequests,
  canonicalEvents,
  nprExtract,
  iceR1,
  iceR2,
  iceR3,
  iceR4,
  iceR5,
  ice287g,
  iceAor,
];

export function layoutById(id: string): Layout | undefined {
  return LAYOUTS.find((l) => l.id === id);
}

export const LAYOUT_IDS = LAYOUTS.map((l) => l.id) as LayoutId[];
