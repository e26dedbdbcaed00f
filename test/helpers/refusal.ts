/** The error `fn` throws; fails the test when it throws none. */
export function refusal(fn: () => unknown): Error & { code?: string } {
  try {
    fn()
  } catch (err) {
    return err as Error & { code?: string }
  }
  throw new Error('expected a refusal')
}
