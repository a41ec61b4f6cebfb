import { NotFoundException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { hashEmail, PersonEntity } from '@pulse/db';
import type { IdentitySource } from '@pulse/contracts';

const SOURCES: IdentitySource[] = ['github', 'jira', 'slack'];

/** GitHub logins are case-insensitive; Jira account ids and Slack user ids are exact. */
export const identityKey = (source: IdentitySource, externalId: string): string =>
  `${source}:${source === 'github' ? externalId.toLowerCase() : externalId}`;

/**
 * Everything that identifies one human across engagements: the identities asked for, every
 * roster entry (in any engagement) that links one of them or shares the email, and all of
 * those entries' identities and emails — closed until nothing new turns up.
 */
export interface Subject {
  /** identityKey → the identity as first seen. */
  identities: Map<string, { source: IdentitySource; externalId: string }>;
  /** Hashes of the roster emails (identity_hints holds only hashes). */
  emailHashes: Set<string>;
  people: PersonEntity[];
}

export type SubjectQuery = { source: IdentitySource; externalId: string } | { personId: string };

export async function resolveSubject(tx: EntityManager, query: SubjectQuery): Promise<Subject> {
  const subject: Subject = { identities: new Map(), emailHashes: new Set(), people: [] };
  const all = await tx.getRepository(PersonEntity).find();
  if ('personId' in query) {
    const person = all.find((p) => p.id === query.personId);
    if (!person) throw new NotFoundException('No roster person with this id');
    subject.people.push(person);
  } else {
    subject.identities.set(identityKey(query.source, query.externalId), { ...query });
  }
  for (let grew = true; grew;) {
    grew = false;
    for (const person of subject.people) {
      for (const source of SOURCES)
        for (const externalId of person.identities[source] ?? [])
          if (!subject.identities.has(identityKey(source, externalId)))
            subject.identities.set(identityKey(source, externalId), { source, externalId });
      if (person.email) subject.emailHashes.add(hashEmail(person.email));
    }
    for (const person of all) {
      if (subject.people.includes(person)) continue;
      const linked =
        SOURCES.some((source) =>
          (person.identities[source] ?? []).some((id) => subject.identities.has(identityKey(source, id))),
        ) ||
        (person.email !== null && subject.emailHashes.has(hashEmail(person.email)));
      if (linked) {
        subject.people.push(person);
        grew = true;
      }
    }
  }
  return subject;
}

/** The external ids of one source, as stored (GitHub compared lower-cased by the caller). */
export function idsOf(subject: Subject, source: IdentitySource): string[] {
  return [...subject.identities.values()].filter((i) => i.source === source).map((i) => i.externalId);
}

/** Whether a stored identity (from a record of the given source family) is the subject's. */
export function isSubject(subject: Subject, id: string | null | undefined): boolean {
  if (!id) return false;
  return SOURCES.some((source) => subject.identities.has(identityKey(source, id)));
}
