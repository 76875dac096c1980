select * from main.revenue_by_region where region is null
