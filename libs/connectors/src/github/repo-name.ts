import { z } from 'zod';

// `owner/name` as GitHub allows it, and nothing a URL could resolve into another path:
// owners are letters, digits and single inner hyphens (underscores for GitHub Enterprise
// accounts); names are letters, digits, `.`, `_` and `-`, but never `.` or `..` (Octokit
// puts them into the path as they are, and `/repos/acme/..` is another endpoint). `%` is
// refused with everything else, so no encoded form slips through.
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9_]|-(?=[A-Za-z0-9_])){0,38}$/;
const NAME = /^[A-Za-z0-9._-]{1,100}$/;

export function githubRepoNameProblem(value: string): string | null {
  const parts = value.split('/');
  if (parts.length !== 2) return 'each repo must look like owner/name';
  const [owner = '', name = ''] = parts;
  if (!OWNER.test(owner)) return `"${owner}" is not a GitHub owner (letters, digits and inner hyphens)`;
  if (!NAME.test(name) || /^\.+$/.test(name) || name.toLowerCase().endsWith('.git')) {
    return `"${name}" is not a GitHub repository name (letters, digits, ".", "_" and "-", not only dots, without .git)`;
  }
  return null;
}

export const githubRepoNameSchema = z.string().superRefine((value, ctx) => {
  const problem = githubRepoNameProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
