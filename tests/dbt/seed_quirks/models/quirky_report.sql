{% set measures = ['amount', 'ratio'] %}
select
    id,
    coalesce(name, 'unknown') as name,
    upper(trim(coalesce(name, ''))) || '#' || cast(id as varchar) as label,
    length(coalesce(note, '')) as note_length,
    {% for m in measures %}
    coalesce({{ m }}, 0) * 2 as {{ m }}_doubled,
    sum({{ m }}) over (order by id rows between unbounded preceding and current row) as running_{{ m }},
    {% endfor %}
    row_number() over (order by coalesce(amount, 0) desc, id) as amount_rank,
    extract(year from signup_date) as signup_year,
    signup_date + 7 as week_later,
    date_trunc('month', updated_at) as update_month,
    case when active then 'yes' when not active then 'no' else 'unknown' end as active_text,
    round(ratio * 3, 2) as ratio_x3,
    amount / 4 as amount_quarter,
    amount % 4 as amount_mod,
    cast(zip as bigint) as zip_number,
    "id" is not distinct from 1 as is_first
from {{ ref('quirky') }}
