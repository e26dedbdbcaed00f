import { useEffect, useRef } from 'react'
import { useStore, type StoreApi } from 'zustand'
import { useExplorer } from '../state/hooks'
import {
  FIELD_LABELS,
  type GcsAuth,
  type S3Auth,
  type StorageField,
  type StorageForm,
} from '../state/storage-form'

const S3_AUTH: [S3Auth, string][] = [
  ['default', 'AWS environment or default profile'],
  ['profile', 'Named profile'],
  ['keys', 'Access key and secret'],
  ['anon', 'Anonymous (public bucket)'],
]
const GCS_AUTH: [GcsAuth, string][] = [
  ['google_default', 'Google default credentials'],
  ['service_account', 'Service-account JSON file'],
  ['anon', 'Anonymous (public bucket)'],
]

interface FieldProps {
  field: StorageField
  form: StorageForm
  invalid: boolean
  type?: 'text' | 'password'
  placeholder?: string
  hint?: string
  onEdit: (patch: Partial<StorageForm>) => void
}

/** What the fields edit: the app store's open form, or another (the copy destination). */
export interface StorageFormSlice {
  storage: StorageForm
  storageOptionsText: string
  errorField: StorageField | 'auth' | 'extra' | null
  setStorage(patch: Partial<StorageForm>): void
  setStorageOptionsText(text: string): void
}

/** One labelled text field of the storage form; secrets are password fields, never autofilled. */
function Field({ field, form, invalid, type = 'text', placeholder, hint, onEdit }: FieldProps) {
  const ref = useRef<HTMLInputElement>(null)
  // An open error about this field puts the cursor in it.
  useEffect(() => {
    if (invalid) ref.current?.focus()
  }, [invalid])
  return (
    <label className={`storage-field storage-field-${field}`}>
      <span className="storage-label">{FIELD_LABELS[field]}</span>
      <input
        ref={ref}
        type={type}
        name={field}
        value={form[field]}
        placeholder={placeholder}
        title={hint}
        spellCheck={false}
        autoComplete={type === 'password' ? 'new-password' : 'off'}
        aria-invalid={invalid || undefined}
        onChange={(e) => onEdit({ [field]: e.target.value })}
      />
    </label>
  )
}

/**
 * The storage options of an s3:// or gs:// location as labelled fields: endpoint, region or
 * project, the credentials mode and its fields, and the rest as JSON. Secrets show as kept
 * (not their value) once the main side holds them.
 */
export function StorageOptionsFields({
  kind,
  store,
}: {
  kind: 's3' | 'gcs'
  /** The form to edit; the app's open form when omitted. */
  store?: StoreApi<StorageFormSlice>
}) {
  const explorer = useExplorer()
  const app: StoreApi<StorageFormSlice> = store ?? explorer.app
  const form = useStore(app, (s) => s.storage)
  const extra = useStore(app, (s) => s.storageOptionsText)
  const errorField = useStore(app, (s) => s.errorField)
  const kept = form.secretsKept
  const keptHint = kept ? '(kept this session)' : undefined
  const props = (field: StorageField) => ({
    field,
    form,
    invalid: errorField === field,
    onEdit: (patch: Partial<StorageForm>) => app.getState().setStorage(patch),
  })
  const authRef = useRef<HTMLSelectElement>(null)
  useEffect(() => {
    if (errorField === 'auth') authRef.current?.focus()
  }, [errorField])

  return (
    <fieldset className="storage-options" aria-label="Storage options">
      <legend>{kind === 's3' ? 'S3 storage options' : 'Google Cloud Storage options'}</legend>
      <Field
        {...props('endpoint')}
        placeholder={
          kind === 's3' ? 'AWS (default), or http://host:port' : 'storage.googleapis.com'
        }
        hint="For S3-compatible servers (MinIO, Ceph, moto) or an emulator: its http(s) URL"
      />
      {kind === 's3' ? (
        <Field {...props('region')} placeholder="us-east-1" />
      ) : (
        <Field {...props('project')} placeholder="my-project" />
      )}
      <label className="storage-field storage-field-auth">
        <span className="storage-label">{FIELD_LABELS.auth}</span>
        <select
          ref={authRef}
          aria-invalid={errorField === 'auth' || undefined}
          value={kind === 's3' ? form.s3Auth : form.gcsAuth}
          onChange={(e) =>
            app
              .getState()
              .setStorage(
                kind === 's3'
                  ? { s3Auth: e.target.value as S3Auth }
                  : { gcsAuth: e.target.value as GcsAuth },
              )
          }
        >
          {(kind === 's3' ? S3_AUTH : GCS_AUTH).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      {kind === 's3' && form.s3Auth === 'profile' && (
        <Field {...props('profile')} placeholder="default" />
      )}
      {kind === 's3' && form.s3Auth === 'keys' && (
        <>
          <Field {...props('key')} placeholder={keptHint ?? 'AKIA…'} />
          <Field {...props('secret')} type="password" placeholder={keptHint} />
          <Field {...props('token')} type="password" placeholder={keptHint ?? 'optional'} />
        </>
      )}
      {kind === 'gcs' && form.gcsAuth === 'service_account' && (
        <Field
          {...props('serviceAccountPath')}
          placeholder={keptHint ?? '/path/to/service-account.json'}
          hint="A path on the machine running xpersist; the file is read there, never sent here"
        />
      )}
      <label className="storage-field storage-field-extra">
        <span className="storage-label">{FIELD_LABELS.extra}</span>
        <input
          type="text"
          name="extra"
          value={extra}
          placeholder={kind === 's3' ? '{"requester_pays": true}' : '{}'}
          title="Any other option, fsspec-style (s3fs / gcsfs names)"
          spellCheck={false}
          autoComplete="off"
          aria-invalid={errorField === 'extra' || undefined}
          onChange={(e) => app.getState().setStorageOptionsText(e.target.value)}
        />
      </label>
      {kept && (
        <p className="storage-note muted">
          The credentials for this location are kept by xpersist for this session only, never saved;
          type new ones to replace them.
        </p>
      )}
    </fieldset>
  )
}
