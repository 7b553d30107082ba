/**
 * Lua scripts that change a status record in one step, so that two stages, a retry and a cancel never
 * overwrite each other (no read-modify-write in Node). Each one refuses to touch a final record and returns
 * the status it found, so callers learn of a cancel on their next write.
 */

// Shared tail: overall progress is the weighted mean of the stage progresses, never lower than before; count
// the change (its version is the event's id, from which a client resumes a stream); refresh the TTL and
// publish the event.
const FINISH = `
local n = tonumber(redis.call('HGET', key, 'stageCount'))
local total, weights = 0, 0
for i = 1, n do
  local f = redis.call('HMGET', key, 's' .. i .. '.progress', 's' .. i .. '.weight')
  local w = tonumber(f[2]) or 1
  total = total + (tonumber(f[1]) or 0) * w
  weights = weights + w
end
local overall = math.floor(total / weights)
local f = redis.call('HMGET', key, 'progress', 'status', 'currentStage')
local old = tonumber(f[1]) or 0
if overall < old then overall = old end
redis.call('HSET', key, 'progress', overall, 'updatedAt', now)
local version = redis.call('HINCRBY', key, 'version', 1)
redis.call('EXPIRE', key, ttl)
-- A Lua table drops nil values: absent fields are sent as JSON null, so that every event has every field.
local function orNull(v) if v == nil then return cjson.null end return v end
local ev = cjson.encode({ id = id, version = version, status = f[2], currentStage = orNull(tonumber(f[3])), progress = overall,
  stage = orNull(stage), stageStatus = orNull(stageStatus), stageProgress = orNull(stageProgress), message = orNull(message) })
redis.call('PUBLISH', channel, ev)
`;

/**
 * KEYS: record. ARGV: id, ttl, now, channel, stage, stageStatus, progress|'', message|'', attempt|'',
 * startedAt|'', finishedAt|'', error|'', overallStatus|'', result|''.
 */
export const UPDATE_STAGE = `
local key = KEYS[1]
local id, ttl, now, channel = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4]
local stage, stageStatus = tonumber(ARGV[5]), ARGV[6]
local cur = redis.call('HGET', key, 'status')
if not cur then return 'MISSING' end
if cur == 'SUCCESS' or cur == 'FAILURE' or cur == 'REVOKED' then return cur end
local p = 's' .. stage .. '.'
local overallStatus = ARGV[13]
if overallStatus == '' then overallStatus = stageStatus end
local set = { p .. 'status', stageStatus, 'currentStage', stage, 'status', overallStatus }
local function put(field, value) set[#set + 1] = field; set[#set + 1] = value end
local stageProgress = nil
if ARGV[7] ~= '' then
  stageProgress = tonumber(ARGV[7])
  local before = tonumber(redis.call('HGET', key, p .. 'progress')) or 0
  if stageProgress < before then stageProgress = before end
  put(p .. 'progress', stageProgress)
end
local message = nil
if ARGV[8] ~= '' then message = ARGV[8]; put(p .. 'message', message) end
if ARGV[9] ~= '' then put(p .. 'attempt', ARGV[9]) end
if ARGV[10] ~= '' then put(p .. 'startedAt', ARGV[10]); put(p .. 'finishedAt', ''); put(p .. 'error', '') end
if ARGV[11] ~= '' then put(p .. 'finishedAt', ARGV[11]) end
if ARGV[12] ~= '' then put(p .. 'error', ARGV[12]); put('error', ARGV[12]) end
if ARGV[14] ~= '' then put('result', ARGV[14]) end
redis.call('HSET', key, unpack(set))
${FINISH}
return 'OK'
`;

/** KEYS: record. ARGV: id, ttl, now, channel, message. Marks the record and its running stage REVOKED. */
export const REVOKE = `
local key = KEYS[1]
local id, ttl, now, channel, message = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4], ARGV[5]
local cur = redis.call('HGET', key, 'status')
if not cur then return 'MISSING' end
if cur == 'SUCCESS' or cur == 'FAILURE' or cur == 'REVOKED' then return cur end
local stage = tonumber(redis.call('HGET', key, 'currentStage')) or 1
redis.call('HSET', key, 'status', 'REVOKED', 's' .. stage .. '.status', 'REVOKED', 's' .. stage .. '.message', message,
  's' .. stage .. '.finishedAt', now)
for i = stage + 1, tonumber(redis.call('HGET', key, 'stageCount')) do redis.call('HSET', key, 's' .. i .. '.status', 'REVOKED') end
local stageStatus, stageProgress = 'REVOKED', nil
${FINISH}
return 'OK'
`;

/**
 * KEYS: record. ARGV: id, ttl, now, channel, message, field, value. A REVIEW record goes back to PROGRESS with
 * the field set (what the review decided) and its checkpoint step's message, atomically: two resumes never both succeed. Others: their status.
 */
export const RESUME = `
local key = KEYS[1]
local id, ttl, now, channel, message = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4], ARGV[5]
local cur = redis.call('HGET', key, 'status')
if not cur then return 'MISSING' end
if cur ~= 'REVIEW' then return cur end
redis.call('HSET', key, 'status', 'PROGRESS', ARGV[6], ARGV[7])
-- The checkpoint step's message said it waits for a review: it now says what the review decided.
local cs = redis.call('HGET', key, 'currentStage')
if cs and cs ~= '' then redis.call('HSET', key, 's' .. cs .. '.message', message) end
local stage, stageStatus, stageProgress = nil, nil, nil
${FINISH}
return 'OK'
`;

/**
 * KEYS: record. ARGV: ttl, stage|''. A FAILURE record (failed at that stage, when one is given) goes back to
 * RETRY: a failed job retried by hand. Others are left as they are.
 */
export const REOPEN = `
local cur = redis.call('HGET', KEYS[1], 'status')
if cur ~= 'FAILURE' then return cur or 'MISSING' end
if ARGV[2] ~= '' and redis.call('HGET', KEYS[1], 's' .. ARGV[2] .. '.status') ~= 'FAILURE' then return 'OTHER_STAGE' end
redis.call('HSET', KEYS[1], 'status', 'RETRY', 'error', '')
redis.call('HINCRBY', KEYS[1], 'version', 1)
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[1]))
return 'OK'
`;

/**
 * KEYS: live set. ARGV: now, since, cap, id. Counts the records created since `since` (the TTL window) and
 * admits this one (1) unless there are `cap` already (0).
 */
export const ADMIT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
return 1
`;
