// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { ArtifactDetail } from '../../shared/ipc'
import { PayloadFiles } from '../../renderer/src/ui/SidecarFields'

afterEach(cleanup)

function detailWith(n: number): ArtifactDetail {
  const files = Array.from({ length: n }, (_, i) => ({ path: `sst.zarr/sst/${i}.0.0`, bytes: 100 }))
  return {
    key: 'sst.zarr',
    artifact: {},
    metadataText: '{}',
    version: 'v',
    sidecarPath: 'xpersist_metadata_store/sst.zarr.artifact.json',
    files,
    bytes: n * 100,
    prefect: null,
  }
}

const rows = () =>
  within(screen.getByRole('region', { name: 'Payload files' })).queryAllByRole('row')

describe('payload files', () => {
  it('lists a short payload whole', () => {
    render(<PayloadFiles detail={detailWith(8)} />)
    expect(rows()).toHaveLength(8)
    expect(screen.queryByRole('button', { name: /Show/ })).toBeNull()
  })

  it('folds a Zarr payload of many chunk files so the preview below stays in view', () => {
    render(<PayloadFiles detail={detailWith(30)} />)
    // five files and the "… and 25 more" row
    expect(rows()).toHaveLength(6)
    expect(screen.getByText(/and 25 more files/)).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Show all' }))
    expect(rows()).toHaveLength(30)
  })

  it('unfolds at most 200 of a huge payload, and says how many are left', () => {
    render(<PayloadFiles detail={detailWith(5000)} />)
    fireEvent.click(screen.getByRole('button', { name: 'Show the first 200' }))
    expect(rows()).toHaveLength(201)
    expect(screen.getByText(/and 4800 more files/)).toBeTruthy()
  })
})
