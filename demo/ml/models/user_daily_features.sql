-- One row per user and day of activity: the day's events, clicks and spend. A day's values
-- become known when the day ends, so that is their event_timestamp (no leakage into the day).
select
    user_id,
    cast(date_trunc('day', event_ts) as timestamp) + interval 1 day as event_timestamp,
    count(*) as events,
    sum(case when kind = 'click' then 1 else 0 end) as clicks,
    sum(amount) as spend
from {{ source('raw', 'events') }}
group by 1, 2
