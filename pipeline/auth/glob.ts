/**
 * Compiles a policy glob (`*` any run of characters, `?` one character, everything else literal)
 * to an anchored RegExp. Hand-written because model names are not paths (a `/` in
 * `org/model` is an ordinary character) and only these two wildcards are wanted.
 */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (const ch of glob) {
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else source += ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'su');
}

export type Matcher = (value: string) => boolean;

export function compileGlob(glob: string): Matcher {
  if (glob === '*') return () => true;
  if (!glob.includes('*') && !glob.includes('?')) return (value) => value === glob;
  const re = globToRegExp(glob);
  return (value) => re.test(value);
}
