/**
 * Time limits for jest hooks and slow tests. These machines are shared and often loaded (load average 10-18 on
 * 2 cores seen): jest's 5 s default failed hooks that synthesize, so every hook names its limit.
 */

/** A hook's limit: generous, because a hook that synthesizes or spawns can take many times its quiet-machine time. */
export const HOOK_TIMEOUT_MS = 120_000;
