import { ForbiddenException } from '@nestjs/common';
import type { EngagementEntity } from '@pulse/db';
import {
  privacySettings,
  type EngagementAccessLevel,
  type KpiDrillDownDto,
  type UserDto,
} from '@pulse/contracts';

/**
 * THE rule for who may see per-person views of an engagement (drill-downs naming people,
 * continuity's people lists, unassigned identities, the roster) — docs/privacy.md:
 * - admins always (they answer erasure and access requests);
 * - the engagement's editors, unless it is "team-level only".
 *
 * "Editors" are those holding `edit` on the engagement (its owner and editor members, never
 * a `viewer` user role), as the membership guard granted it. Everything that names people
 * calls this.
 */
export function canSeePeople(
  actor: Pick<UserDto, 'role'>,
  engagement: Pick<EngagementEntity, 'settings'>,
  levels: ReadonlySet<EngagementAccessLevel>,
): boolean {
  if (actor.role === 'admin') return true;
  if (privacySettings(engagement.settings).teamLevelOnly) return false;
  return levels.has('edit');
}

/** Refuses a per-person view with a 403 that says why and who can help. */
export function assertCanSeePeople(
  actor: Pick<UserDto, 'role'>,
  engagement: Pick<EngagementEntity, 'settings'>,
  levels: ReadonlySet<EngagementAccessLevel>,
): void {
  if (canSeePeople(actor, engagement, levels)) return;
  throw new ForbiddenException(
    privacySettings(engagement.settings).teamLevelOnly
      ? 'This engagement is "team-level only": people are not named here. An admin can see them.'
      : 'Only the engagement’s editors and admins see people by name.',
  );
}

/**
 * A drill-down with nobody named: person cells emptied, person rows (continuity lists)
 * renamed "Person 1…n" with ids that link to nothing. Rows stay, so the list still has
 * the value's n items. Used for viewers who may not see people and for every share link.
 */
export function withoutPeople(table: KpiDrillDownDto): KpiDrillDownDto {
  const personFields = table.columns.filter((c) => c.type === 'person').map((c) => c.field);
  return {
    ...table,
    rows: table.rows.map((row, i) => {
      const cells = { ...row.cells };
      for (const field of personFields) cells[field] = null;
      return table.kind === 'people'
        ? { ...row, id: `person-${i + 1}`, title: `Person ${i + 1}`, cells }
        : { ...row, cells };
    }),
  };
}
