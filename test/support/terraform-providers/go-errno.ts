/**
 * Go prints a system error by its text (syscall.Errno.Error()), where Node names it by its code; the
 * external provider's messages carry Go's text, e.g. `fork/exec ./tool: exec format error`.
 */
const GO_ERRNO_TEXTS: Readonly<Record<string, string>> = {
  E2BIG: 'argument list too long',
  EACCES: 'permission denied',
  EISDIR: 'is a directory',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
  ENOENT: 'no such file or directory',
  ENOEXEC: 'exec format error',
  ENOTDIR: 'not a directory',
  EPERM: 'operation not permitted',
  ETXTBSY: 'text file busy',
};

/** Go's text for a Node error code; an unknown code is passed through rather than guessed. */
export function goErrnoText(code: string | undefined): string {
  return (code && GO_ERRNO_TEXTS[code]) || code || 'unknown error';
}
