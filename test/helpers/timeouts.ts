// Waiting limits sized for a 2-core CI machine at load 10 (five times slower than idle). They
// bound how long a hung step takes to fail; no test asserts how long anything took.

/** How long a waitFor / findBy / vi.waitFor keeps retrying (the libraries' default is 1 s). */
export const WAIT_TIMEOUT_MS = 60_000

/** A browser step (launch, click, wait for a row): Playwright's default is 30 s. */
export const UI_TIMEOUT_MS = 120_000
