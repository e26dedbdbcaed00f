import { promises as fs } from 'node:fs'
import { utcNowIso } from '../../shared/artifact.js'
import { XpersistResult } from './result/xpersist-result.js'
import { CacheStore } from './store.js'
import { InvalidArgumentError } from './errors.js'
import { GRID_I4_JOBLIB, SINE_F8_JOBLIB } from './demo-arrays.js'

const STATIONS = `,station_id,temperature,name,active,installed,climate_zone
0,101,12.5,Boulder,True,2001-04-01,semi-arid
1,102,,Mesa Lab,False,1999-12-31,alpine
2,103,-3.25,"Niwot, Ridge",True,2010-06-15,alpine
3,104,0.1,"Foothills ""B""",True,2015-01-01,semi-arid
4,105,21.0,Marshall,False,2020-02-29,semi-arid
`

function hourlyCsv(hours: number): string {
  const lines = ['time,tmax,precip,flag']
  const start = Date.UTC(2021, 0, 1)
  for (let h = 0; h < hours; h++) {
    const t = new Date(start + h * 3600_000).toISOString().slice(0, 19).replace('T', ' ')
    const temp = (10 * Math.sin((2 * Math.PI * h) / 24) + 5 + (h % 7) / 10).toFixed(2)
    const precip = h % 13 === 0 ? '' : (((h * 37) % 11) / 10).toFixed(1)
    lines.push(`${t},${temp},${precip},${h % 13 === 0 ? 'missing' : 'ok'}`)
  }
  return lines.join('\n') + '\n'
}

/** Refuses a folder that holds anything: a demo must never overwrite a real cache or files. */
async function assertNewOrEmpty(dir: string): Promise<void> {
  const entries = await fs.readdir(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return []
    throw new InvalidArgumentError(`Cannot write a demo cache at ${dir}: ${e.message}.`)
  })
  if (entries.length > 0) {
    throw new InvalidArgumentError(
      `${dir} is not empty; xpersist demo writes a new demo cache only into a new or empty ` +
        `folder. Choose another folder.`,
    )
  }
}

const daysAgo = (d: number) => utcNowIso(BigInt(Date.now() - d * 86400_000) * 1000n)

/**
 * Writes a small cache using every serializer this version implements (pandas.csv, joblib),
 * with nested keys, varied metadata and ages, numpy arrays and two pipeline results, into a
 * new or empty folder (any other is refused, so a demo never overwrites a key or a file).
 * Returns the keys written.
 */
export async function writeDemoCache(dir: string): Promise<string[]> {
  await assertNewOrEmpty(dir)
  // raise_error: should anything appear in the folder meanwhile, fail rather than replace it.
  const store = await CacheStore.open(dir, { onDuplicateKey: 'raise_error' })
  const enc = new TextEncoder()
  const b64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'))
  const csv = { serializer: 'pandas.csv' }
  await store.importPayload('stations.csv', enc.encode(STATIONS), {
    ...csv,
    additionalMetadata: { experiment: 'ctrl', member: 3, tags: ['stations'] },
  })
  await store.importPayload('obs/hourly-2021.csv', enc.encode(hourlyCsv(24 * 90)), {
    ...csv,
    dumpKwargs: { index: false },
    additionalMetadata: { experiment: 'obs', source: 'synthetic', member: 0 },
  })
  await store.importPayload('arrays/grid-i4', b64(GRID_I4_JOBLIB), {
    serializer: 'joblib',
    additionalMetadata: { experiment: 'ctrl', kind: 'grid' },
  })
  await store.importPayload('arrays/sine-f8', b64(SINE_F8_JOBLIB), {
    serializer: 'joblib',
    dumpKwargs: { compress: 3 },
    additionalMetadata: { experiment: 'hist', kind: 'series' },
  })
  await store.put(
    'runs/2022/config',
    {
      name: 'ctrl',
      members: [1, 2, 3],
      params: { dt: 0.5, alpha: 0.001, levels: [1000, 850, 500] },
      enabled: true,
      parent: null,
    },
    { additionalMetadata: { experiment: 'ctrl', owner: 'demo' } },
  )
  await store.put('runs/2022/members', [1, 2, 3, 5, 8, 13], {
    additionalMetadata: { experiment: 'ctrl' },
  })
  await store.put('runs/old/scratch', 'left over from an old experiment', {
    additionalMetadata: { experiment: 'old' },
    createdAt: daysAgo(45),
  })
  await store.put(
    'runs/old/notes',
    { note: 'superseded by runs/2022' },
    {
      additionalMetadata: { experiment: 'old' },
      createdAt: daysAgo(120),
    },
  )
  await store.put('greeting', 'hello from xpersist', { createdAt: daysAgo(3) })
  const result = new XpersistResult({
    cacheStore: store,
    location: 'pipeline/{flow_name}/{task_name}-{map_index}',
  })
  const context = {
    flow_name: 'sst-pipeline',
    flow_run_name: 'cheerful-ibex',
    today: new Date().toISOString().slice(0, 10),
  }
  await result.write(
    { status: 'ok', n_points: 120, mean_sst: 29.0618 },
    { ...context, task_name: 'summarize', map_index: 0 },
  )
  await result.write([27.1, 27.3, 27.5], { ...context, task_name: 'extract', map_index: 1 })
  return store.keys()
}
