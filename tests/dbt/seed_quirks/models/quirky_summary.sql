select
    count(*) as n,
    sum(amount) as total_amount,
    sum(ratio) as total_ratio,
    count(note) as notes,
    count(name) as names,
    min(signup_date) as first_signup,
    max(updated_at) as last_update,
    sum(case when active then 1 else 0 end) as active_count
from {{ ref('quirky') }}
