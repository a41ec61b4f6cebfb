import { createHash } from 'node:crypto';
import { IsNull, type DataSource } from 'typeorm';
import { privacySettings } from '@pulse/contracts';
import { DigestSettingsEntity } from './entities/digest.entity';
import { type EngagementEntity } from './entities/engagement.entity';
import { PersonEntity } from './entities/person.entity';
import { ShareLinkEntity } from './entities/share-link.entity';
import { loadKpiValues, loadRatingRows } from './kpi-read-rows';
import type { SecretBox } from './secret-box';

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/** Digest settings when the engagement has none stored: Monday 09:00, both audiences off. */
export const DEFAULT_DIGEST_SCHEDULE = { weekday: 1, timeOfDay: '09:00' } as const;

export async function loadDigestSettings(
  dataSource: DataSource,
  engagementId: string,
): Promise<DigestSettingsEntity | null> {
  return dataSource
    .getRepository(DigestSettingsEntity)
    .createQueryBuilder('s')
    .addSelect('s.vendorShareTokenCiphertext')
    .where('s.engagementId = :engagementId', { engagementId })
    .getOne();
}

/** The vendor's share link stored with the digest settings, when it is still valid. */
export async function validVendorShareLink(
  dataSource: DataSource,
  secrets: SecretBox,
  settings: Pick<DigestSettingsEntity, 'engagementId' | 'vendorShareTokenCiphertext'> | null,
  now: number,
): Promise<{ token: string; link: ShareLinkEntity } | null> {
  if (!settings?.vendorShareTokenCiphertext) return null;
  let token: string;
  try {
    token = secrets.decrypt(settings.vendorShareTokenCiphertext);
  } catch {
    return null; // a rotated key: the button is left out, never a wrong link
  }
  const link = await dataSource
    .getRepository(ShareLinkEntity)
    .findOneBy({ tokenHash: sha256(token), engagementId: settings.engagementId, revokedAt: IsNull() });
  if (!link || (link.expiresAt !== null && link.expiresAt <= now)) return null;
  return { token, link };
}

/**
 * Everything a digest of one engagement reads: the rating rows and KPI values of /health and
 * /kpis, the roster's names (client audience only), and what is shared with the vendor.
 */
export async function loadDigestRows(
  dataSource: DataSource,
  secrets: SecretBox,
  engagement: EngagementEntity,
  weeks: { start: number; end: number },
  now: number,
) {
  const [rating, values, people, links, settings] = await Promise.all([
    loadRatingRows(dataSource, engagement.id),
    loadKpiValues(dataSource, engagement.id, weeks),
    dataSource.getRepository(PersonEntity).findBy({ engagementId: engagement.id, leftAt: IsNull() }),
    dataSource.getRepository(ShareLinkEntity).findBy({ engagementId: engagement.id, revokedAt: IsNull() }),
    loadDigestSettings(dataSource, engagement.id),
  ]);
  const vendorLink = await validVendorShareLink(dataSource, secrets, settings, now);
  const validLinks = links.filter((l) => l.expiresAt === null || l.expiresAt > now);
  // The vendor sees what its link shows; without a stored link, what any valid link shares.
  const sharedFamilies = vendorLink
    ? [...vendorLink.link.families]
    : [...new Set(validLinks.flatMap((l) => l.families))];
  const humans = people.filter((p) => !p.isBot);
  return {
    rating,
    values,
    settings,
    vendorShareToken: vendorLink?.token ?? null,
    sharedFamilies,
    // "Team-level only" (docs/privacy.md): no digest names anyone.
    people: privacySettings(engagement.settings).teamLevelOnly
      ? null
      : {
          client: humans.filter((p) => p.side === 'client').map((p) => p.displayName),
          vendor: humans.filter((p) => p.side === 'vendor').map((p) => p.displayName),
        },
  };
}
