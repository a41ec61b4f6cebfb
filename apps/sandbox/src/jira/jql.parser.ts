// The JQL subset Pulse uses: clauses joined by AND, ORDER BY. Unknown fields and syntax
// errors produce Jira's own error messages.

export type JqlClause =
  | {
      field: 'project' | 'issuetype' | 'status' | 'key' | 'sprint';
      op: 'in' | 'not in' | '=' | '!=';
      values: string[];
    }
  | { field: 'updated' | 'created' | 'resolved'; op: '>=' | '>' | '<=' | '<'; time: number };

export interface Jql {
  clauses: JqlClause[];
  orderBy: { field: 'updated' | 'created' | 'key'; desc: boolean };
}

export class JqlError extends Error {}

const FIELD_ALIASES: Record<string, string> = {
  type: 'issuetype',
  issuetype: 'issuetype',
  project: 'project',
  status: 'status',
  key: 'key',
  issuekey: 'key',
  sprint: 'sprint',
  updated: 'updated',
  updateddate: 'updated',
  created: 'created',
  createddate: 'created',
  resolved: 'resolved',
  resolutiondate: 'resolved',
};

function tokenize(s: string): string[] {
  const tokens: string[] = [];
  const re = /\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|>=|<=|!=|[=<>(),]|[^\s=<>(),!"']+)/gy;
  let m: RegExpExecArray | null;
  let pos = 0;
  while (pos < s.length) {
    re.lastIndex = pos;
    m = re.exec(s);
    if (!m) {
      if (/^\s*$/.test(s.slice(pos))) break;
      throw new JqlError(
        `Error in the JQL Query: The character '${s.slice(pos).trim()[0]}' is a reserved JQL character. You must enclose it in a string or use the escape '\\u0021' instead. (line 1, character ${pos + 1})`,
      );
    }
    tokens.push(m[1] as string);
    pos = re.lastIndex;
  }
  return tokens;
}

const unquote = (t: string): string => (/^["']/.test(t) ? t.slice(1, -1).replace(/\\(.)/g, '$1') : t);

/** "yyyy-MM-dd HH:mm", "yyyy/MM/dd HH:mm" or "yyyy-MM-dd", in the API user's zone (a fixed offset). */
function parseTime(v: string, offsetMinutes: number): number {
  const m = /^(\d{4})[-/](\d{2})[-/](\d{2})(?:\s+(\d{2}):(\d{2}))?$/.exec(v);
  if (!m)
    throw new JqlError(
      `Error in the JQL Query: Date value '${v}' for field is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.`,
    );
  return (
    Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0)) -
    offsetMinutes * 60_000
  );
}

/** `offsetMinutes`: the API user's zone, in which Jira reads dates in JQL. */
export function parseJql(input: string, offsetMinutes = 0): Jql {
  const tokens = tokenize(input);
  let i = 0;
  const peek = (): string | undefined => tokens[i];
  const next = (): string => {
    const t = tokens[i++];
    if (t === undefined)
      throw new JqlError(
        `Error in the JQL Query: Expecting either a value, list or function but got end of query.`,
      );
    return t;
  };
  const clauses: JqlClause[] = [];
  let orderBy: Jql['orderBy'] = { field: 'key', desc: true };
  while (i < tokens.length) {
    if (peek()?.toLowerCase() === 'order') {
      next();
      if (next().toLowerCase() !== 'by')
        throw new JqlError(`Error in the JQL Query: Expecting 'by' after 'order'.`);
      const f = unquote(next()).toLowerCase();
      const field = FIELD_ALIASES[f];
      if (field !== 'updated' && field !== 'created' && field !== 'key')
        throw new JqlError(`Not able to sort using field '${f}'.`);
      const dir = peek()?.toLowerCase();
      let desc = false;
      if (dir === 'asc' || dir === 'desc') {
        desc = dir === 'desc';
        next();
      }
      orderBy = { field, desc };
      if (i < tokens.length)
        throw new JqlError(`Error in the JQL Query: Expecting end of query but got '${peek()}'.`);
      break;
    }
    const rawField = unquote(next());
    const field = FIELD_ALIASES[rawField.toLowerCase()];
    if (!field)
      throw new JqlError(`Field '${rawField}' does not exist or you do not have permission to view it.`);
    let op = next().toLowerCase();
    if (op === 'not') op = `not ${next().toLowerCase()}`;
    if (field === 'updated' || field === 'created' || field === 'resolved') {
      if (op !== '>=' && op !== '>' && op !== '<=' && op !== '<')
        throw new JqlError(
          `Error in the JQL Query: The operator '${op}' is not supported by the '${rawField}' field.`,
        );
      clauses.push({ field, op, time: parseTime(unquote(next()), offsetMinutes) });
    } else {
      if (op !== 'in' && op !== 'not in' && op !== '=' && op !== '!=')
        throw new JqlError(
          `Error in the JQL Query: The operator '${op}' is not supported by the '${rawField}' field.`,
        );
      const values: string[] = [];
      if (op === 'in' || op === 'not in') {
        if (next() !== '(')
          throw new JqlError(`Error in the JQL Query: Expecting '(' but got '${tokens[i - 1]}'.`);
        for (;;) {
          values.push(unquote(next()));
          const sep = next();
          if (sep === ')') break;
          if (sep !== ',')
            throw new JqlError(`Error in the JQL Query: Expecting ',' or ')' but got '${sep}'.`);
        }
      } else values.push(unquote(next()));
      clauses.push({ field: field as 'project', op: op as 'in', values });
    }
    const conj = peek()?.toLowerCase();
    if (conj === 'and') next();
    else if (conj !== undefined && conj !== 'order')
      throw new JqlError(
        `Error in the JQL Query: Expecting either 'OR' or 'AND' but got '${peek()}'. (only AND is supported by the sandbox)`,
      );
  }
  return { clauses, orderBy };
}
