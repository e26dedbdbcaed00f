import type { RestoreResult } from '../state/delete-store'
import { plural } from './format'
import { VisibleText } from './VisibleText'

/** What a restore from the trash did: how many came back, and each refused key with why. */
export function RestoreOutcome({ result }: { result: RestoreResult }) {
  const refused = result.entries.filter((e) => e.refused !== null)
  return (
    <div className="restore-outcome">
      <p>
        Restored {plural(result.restored.length, 'artifact')} of{' '}
        {result.entries.length.toLocaleString('en-US')} from the trash.
      </p>
      {refused.length > 0 && (
        <>
          <p className="field-error">
            {plural(refused.length, 'artifact')} stayed in the trash: a key written since is never
            overwritten.
          </p>
          <ul className="refused-keys" aria-label="Not restored">
            {refused.map((e) => (
              <li key={e.key}>
                <code>
                  <VisibleText text={e.key} />
                </code>
                : {e.refused}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  )
}
