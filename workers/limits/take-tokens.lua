--[[
  Takes n tokens, atomically, from a tenant's bucket and (optionally) a model's bucket.

  The clock is Redis's own TIME, read inside the script: every enqueue instance shares one clock,
  so skew between hosts can neither mint tokens early nor move a bucket's timestamp backwards.
  (Redis 5+ replicates a script's effects, so TIME inside a write script is allowed.)

  A bucket is a hash { tokens, ts }. The tenant bucket may go into debt up to maxWaitMs worth of
  tokens: the caller is admitted with a delay (a reservation, paced at the bucket's rate). The
  model bucket never goes into debt. Nothing is taken unless every bucket admits.

  KEYS[1]  tenant bucket
  KEYS[2]  model bucket            (optional)
  KEYS[3]  model's adaptive rate   (optional; a plain number written by the controller)
  ARGV[1]  n
  ARGV[2]  maxWaitMs: reservation horizon on the tenant bucket (0: no debt)
  ARGV[3]  tenant rate (tokens/s)   ARGV[4] tenant burst
  ARGV[5]  model nominal rate       ARGV[6] model nominal burst (scaled with the adaptive rate)

  Returns { allowed, delayMs, retryAfterMs, remaining, limitedBy (0 none, 1 tenant, 2 model),
            modelRate x1000 }
]]
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000

local function level(key, rate, burst)
  local v = redis.call('HMGET', key, 'tokens', 'ts')
  local tokens = tonumber(v[1])
  local ts = tonumber(v[2])
  if tokens == nil or ts == nil then
    return burst
  end
  local elapsed = now - ts
  if elapsed < 0 then
    elapsed = 0
  end
  return math.min(burst, tokens + elapsed * rate / 1000)
end

local function save(key, tokens, rate, burst)
  redis.call('HSET', key, 'tokens', tokens, 'ts', now)
  -- A full bucket carries no information: let the hash expire once it would be full again.
  redis.call('PEXPIRE', key, math.ceil((burst - tokens) * 1000 / rate) + 1000)
end

local n = tonumber(ARGV[1])
local maxWait = tonumber(ARGV[2])
local tRate = tonumber(ARGV[3])
local tBurst = tonumber(ARGV[4])

local tTokens = level(KEYS[1], tRate, tBurst)
local tWait = 0
if tTokens < n then
  tWait = (n - tTokens) * 1000 / tRate
end
if tWait > maxWait then
  return { 0, 0, math.ceil(tWait - maxWait), math.floor(math.max(tTokens, 0)), 1, 0 }
end

local mRate = 0
local mBurst = 0
local mTokens = 0
if #KEYS >= 3 then
  local nominal = tonumber(ARGV[5])
  mRate = tonumber(redis.call('GET', KEYS[3])) or nominal
  if mRate <= 0 then
    return { 0, 0, 1000, math.floor(math.max(tTokens, 0)), 2, 0 }
  end
  mBurst = math.max(n, tonumber(ARGV[6]) * math.min(1, mRate / nominal))
  mTokens = level(KEYS[2], mRate, mBurst)
  if mTokens < n then
    return { 0, 0, math.ceil((n - mTokens) * 1000 / mRate), math.floor(math.max(tTokens, 0)), 2,
      math.floor(mRate * 1000) }
  end
end

save(KEYS[1], tTokens - n, tRate, tBurst)
if #KEYS >= 3 then
  save(KEYS[2], mTokens - n, mRate, mBurst)
end
return { 1, math.ceil(tWait), 0, math.floor(math.max(tTokens - n, 0)), 0, math.floor(mRate * 1000) }
