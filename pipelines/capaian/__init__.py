"""The computed figures: the one reader of the SQL views (query, scoped by the actor),
where one figure comes from (explain), the dashboards' selections, the home overview
and reporting completeness."""
