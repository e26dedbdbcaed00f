import type { Preview } from '../../../shared/ipc'

/** The unsupported kind of Preview. */
export type UnsupportedPreviewData = Extract<Preview, { kind: 'unsupported' }>

/** No preview for this serializer yet: the engine's message; the sidecar is in its own tab. */
export function UnsupportedPreview({ preview }: { preview: UnsupportedPreviewData }) {
  return (
    <div className="unsupported-preview" data-testid="preview-unsupported">
      <p>
        <strong>No preview for {preview.serializer}.</strong> {preview.message}
      </p>
      <p className="muted small">
        The sidecar, files and metadata above are all still here, and the artifact can be deleted.
      </p>
    </div>
  )
}
