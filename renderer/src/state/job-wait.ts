import type { JobStatus } from '../../../shared/ipc'
import type { Transport } from '../ipc/transport'

/** A job being followed: its end, and a stop for the listening (not the job). */
export interface FollowedJob {
  done: Promise<JobStatus>
  stop(): void
}

/**
 * Follows a job by its pushed events, with job.status polled as a fallback (a browser tab
 * may miss events while it reconnects); `onProgress` hears every status until it finishes.
 */
export function followJob(
  transport: Transport,
  jobId: string,
  onProgress: (status: JobStatus) => void,
  pollMs = 250,
): FollowedJob {
  let stopped = false
  let timer: ReturnType<typeof setTimeout> | null = null
  let off: () => void = () => undefined
  const stop = () => {
    stopped = true
    if (timer !== null) clearTimeout(timer)
    off()
  }
  const done = new Promise<JobStatus>((resolve, reject) => {
    const take = (status: JobStatus) => {
      if (stopped || status.jobId !== jobId) return
      onProgress(status)
      if (status.finished) {
        stop()
        resolve(status)
      }
    }
    off = transport.onEvent((event) => {
      if (event.type === 'job') take(event.status)
    })
    const poll = async () => {
      if (stopped) return
      try {
        take(await transport.invoke('job.status', { jobId }))
      } catch (err) {
        if (!stopped) {
          stop()
          reject(err)
          return
        }
      }
      if (!stopped) timer = setTimeout(() => void poll(), pollMs)
    }
    timer = setTimeout(() => void poll(), pollMs)
  })
  return { done, stop }
}
