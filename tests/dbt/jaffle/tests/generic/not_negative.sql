-- A custom generic test: rows whose column is negative (or NULL unless allow_null).
{% test not_negative(model, column_name, allow_null=false) %}
select {{ column_name }}
from {{ model }}
where {{ column_name }} < 0{% if not allow_null %} or {{ column_name }} is null{% endif %}
{% endtest %}
