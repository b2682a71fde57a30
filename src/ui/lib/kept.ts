// Which policy a run kept, in words: the results panel's sentence and the runs table's short label.
//
// Usage: describeKept(result.kept, result.params.run.keepBestMargin, result.params.run.confirmMinT)
//   → "Kept: teacher clone (validation 96.1%); …"

import type { KeptPolicy } from '../../../workers/trainer-api.ts';
import { pct } from '../format.ts';

/** 0.01 → "1-point", 0.005 → "0.5-point": the keep-best margin in percentage points. */
function points(marginShare: number): string {
  return `${Number((marginShare * 100).toFixed(2))}-point`;
}

/** One sentence naming the kept policy and the validation numbers that decided it. */
export function describeKept(kept: KeptPolicy, marginShare: number, confirmMinT?: number): string {
  const v = pct(kept.validationShare);
  const c = kept.confirm;
  // The per-day test's numbers, where the run has them (runs stored before it have the two shares only).
  const perDay = c?.tStat !== undefined && c.days !== undefined;
  const margin = points(marginShare);
  const tNeeded = perDay && confirmMinT !== undefined ? ` with per-day t ≥ ${confirmMinT}` : '';
  const held = c
    ? `held-out half${c.days !== undefined ? ` (${c.days} days)` : ''}: fine-tuned ${pct(c.ppoShare)}, clone ${pct(c.cloneShare)}${perDay ? `, per-day gain t ${c.tStat!.toFixed(2)}` : ''}`
    : '';
  if (kept.source === 'ppo') {
    if (kept.cloneValidationShare === null) return `Kept: fine-tuned (validation ${v}; PPO only, no warm start)`;
    return `Kept: fine-tuned (validation ${v}, clone ${pct(kept.cloneValidationShare)}${held ? `; ${held}` : ''})`;
  }
  const name = kept.source === 'clone' ? 'teacher clone' : 'untrained policy';
  const why =
    kept.ppoValidationShare === null
      ? 'no fine-tuning ran'
      : kept.confirm
        ? `fine-tuned best ${pct(kept.ppoValidationShare)} beat it on validation but not by the ${margin} margin${tNeeded} on the ${held}`
        : `fine-tuned best ${pct(kept.ppoValidationShare)} did not beat it by the ${margin} margin`;
  return `Kept: ${name} (validation ${v}); ${why}`;
}

/** The runs table's column: "clone", "fine-tuned", "untrained", or "—" for a run stored without it. */
export function keptLabel(kept: KeptPolicy | undefined): string {
  if (!kept) return '—';
  return kept.source === 'ppo' ? 'fine-tuned' : kept.source === 'clone' ? 'clone' : 'untrained';
}
