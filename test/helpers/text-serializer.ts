import { Registry } from '../../electron/engine/registry.js'
import {
  checkKwargs,
  readTarget,
  writeTarget,
  type Serializer,
} from '../../electron/engine/serializers/serializer.js'
import { CorruptPayloadError } from '../../electron/engine/errors.js'

/** A minimal serializer for store tests: strings as UTF-8 text. */
export const textSerializer: Serializer = {
  name: 'test.text',
  async dump(value, target, kwargs) {
    checkKwargs('test.text', 'dump', kwargs, ['suffix'])
    if (typeof value !== 'string') throw new TypeError('test.text takes strings')
    await writeTarget(target, new TextEncoder().encode(value + String(kwargs.suffix ?? '')))
  },
  async load(target) {
    const data = await readTarget(target)
    if (!data) throw new CorruptPayloadError('payload missing')
    return new TextDecoder().decode(data)
  },
}

/** A registry with only test.text, also as 'joblib' so 'auto' resolves to it. */
export function testRegistry(): Registry {
  const r = new Registry({ plugins: () => [] })
  r.serializers.register('test.text', () => textSerializer)
  r.serializers.register('joblib', () => ({ ...textSerializer, name: 'joblib' }))
  return r
}
