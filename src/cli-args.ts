/** Option parsing shared by the subcommands: --flag and --flag VALUE forms. */

/** A command-line mistake: printed with the usage, exit status 2. */
export class UsageError extends Error {}

/** What an option takes. */
export type OptionKind = 'flag' | 'value' | 'list';

/** Parsed options and the words after them. */
export interface Parsed {
  options: Map<string, string[]>;
  rest: string[];
}

/**
 * Parses leading options by `spec` (name without dashes to kind); stops at
 * the first word that is not an option, or after `--`.
 */
export function parseOptions(argv: string[], spec: Record<string, OptionKind>): Parsed {
  const options = new Map<string, string[]>();
  let k = 0;
  for (; k < argv.length; k++) {
    const a = argv[k];
    if (a === '--') {
      k++;
      break;
    }
    if (!a.startsWith('--')) break;
    const name = a.slice(2);
    const kind = spec[name];
    if (kind === undefined) throw new UsageError(`unknown option ${a}`);
    const list = options.get(name) ?? [];
    if (kind === 'flag') list.push('');
    else {
      if (k + 1 >= argv.length) throw new UsageError(`${a} needs a value`);
      list.push(argv[++k]);
    }
    if (kind !== 'list' && list.length > 1) throw new UsageError(`${a} given twice`);
    options.set(name, list);
  }
  return { options, rest: argv.slice(k) };
}

/** The value of an option, or undefined. */
export function optionValue(p: Parsed, name: string): string | undefined {
  return p.options.get(name)?.[0];
}

/** A positive integer option, or undefined. */
export function positiveInt(p: Parsed, name: string): number | undefined {
  const v = optionValue(p, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new UsageError(`--${name} takes a positive integer`);
  return n;
}
