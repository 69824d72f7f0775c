# Realistic analytic Trino (and Athena) queries, one per line: every line must be accepted.
SELECT region, sum(amount) AS revenue FROM hive.sales.orders GROUP BY region ORDER BY revenue DESC LIMIT 10
SELECT o.orderkey, c.name, o.totalprice FROM tpch.tiny.orders o JOIN tpch.tiny.customer c ON c.custkey = o.custkey WHERE o.orderdate >= DATE '1995-01-01'
SELECT approx_distinct(user_id) AS users, count(*) AS events FROM events WHERE event_date BETWEEN DATE '2024-01-01' AND DATE '2024-01-31'
SELECT approx_percentile(latency_ms, 0.95) AS p95, approx_percentile(latency_ms, ARRAY[0.5, 0.99]) AS ps FROM requests
SELECT date_trunc('month', order_date) AS month, count_if(status = 'returned') AS returns FROM orders GROUP BY 1 ORDER BY 1
SELECT try_cast(price AS decimal(10, 2)) AS price, TRY_CAST(qty AS integer) AS qty FROM staging.raw_orders
SELECT name, transform(tags, t -> lower(t)) AS tags FROM products
SELECT id, filter(scores, s -> s > 50) AS passing, reduce(scores, 0, (s, x) -> s + x, s -> s) AS total FROM students
SELECT p.id, t.tag, t.n FROM products p CROSS JOIN UNNEST(p.tags) WITH ORDINALITY AS t(tag, n)
SELECT u.k, u.v FROM settings CROSS JOIN UNNEST(config) AS u(k, v)
SELECT customer_id, order_date, amount, sum(amount) OVER (PARTITION BY customer_id ORDER BY order_date ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running FROM orders
SELECT customer_id, rank() OVER (ORDER BY total DESC) AS r, lag(total, 1) OVER w AS prev FROM totals WINDOW w AS (PARTITION BY segment ORDER BY month)
SELECT name, salary FROM employees ORDER BY salary DESC FETCH FIRST 5 ROWS ONLY
SELECT name, salary FROM employees ORDER BY salary DESC OFFSET 10 ROWS FETCH NEXT 10 ROWS ONLY
SELECT name FROM employees ORDER BY hired FETCH FIRST ROW ONLY
WITH monthly AS (SELECT date_trunc('month', ts) AS m, sum(v) AS total FROM metrics GROUP BY 1) SELECT m, total, total - lag(total) OVER (ORDER BY m) AS delta FROM monthly
WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 10) SELECT sum(n) FROM t
SELECT city FROM customers UNION SELECT city FROM suppliers ORDER BY city
SELECT id FROM a INTERSECT SELECT id FROM b
SELECT id FROM a EXCEPT DISTINCT SELECT id FROM b
SELECT CASE WHEN amount > 1000 THEN 'large' WHEN amount > 100 THEN 'medium' ELSE 'small' END AS bucket, count(*) FROM orders GROUP BY 1
SELECT coalesce(nullif(trim(email), ''), 'none') AS email, upper(substr(name, 1, 1)) AS initial FROM users
SELECT json_extract_scalar(payload, '$.user.id') AS uid, json_array_length(json_extract(payload, '$.items')) AS n FROM raw_events
SELECT regexp_extract(url, 'https?://([^/]+)', 1) AS host, url_extract_path(url) AS path FROM visits WHERE regexp_like(url, '^https://')
SELECT date_diff('day', created_at, shipped_at) AS days, date_add('hour', 3, created_at) AS eta FROM shipments
SELECT format_datetime(ts, 'yyyy-MM-dd') AS d, to_unixtime(ts) AS epoch, from_unixtime(epoch_s) AS t2 FROM logs
SELECT ts AT TIME ZONE 'America/New_York' AS local_ts FROM logs
SELECT extract(YEAR FROM order_date) AS y, year(order_date) AS y2, quarter(order_date) AS q FROM orders
SELECT array_agg(name ORDER BY name) AS names, listagg(name, ', ') WITHIN GROUP (ORDER BY name) AS joined FROM team GROUP BY dept
SELECT map_agg(k, v) AS m, histogram(status) AS h FROM kv GROUP BY grp
SELECT element_at(attrs, 'color') AS color, cardinality(tags) AS ntags, contains(tags, 'sale') AS on_sale FROM items
SELECT max_by(name, score) AS best, min_by(name, score) AS worst, arbitrary(team) FROM results GROUP BY team
SELECT sum(amount) FILTER (WHERE status = 'paid') AS paid, avg(amount) AS mean FROM invoices
SELECT region, product, sum(sales) FROM facts GROUP BY GROUPING SETS ((region, product), (region), ())
SELECT region, product, sum(sales), grouping(region, product) FROM facts GROUP BY ROLLUP (region, product)
SELECT * FROM orders WHERE customer_id IN (SELECT id FROM customers WHERE country = 'DE') AND EXISTS (SELECT 1 FROM returns r WHERE r.order_id = orders.id)
SELECT id FROM orders o WHERE amount > ALL (SELECT amount FROM orders WHERE status = 'void')
SELECT c.name, x.total FROM customers c LEFT JOIN LATERAL (SELECT sum(amount) AS total FROM orders o WHERE o.customer_id = c.id) x ON true
SELECT "order", "group" FROM "weird names"."select"
SELECT a.x IS DISTINCT FROM b.x AS changed FROM snap_a a FULL OUTER JOIN snap_b b ON a.id = b.id
SELECT round(avg(price), 2), stddev(price), percent_rank() OVER (ORDER BY price) FROM products GROUP BY price
SELECT CAST(ROW(1, 'a') AS ROW(id integer, name varchar)).name AS n
SELECT ARRAY[1, 2, 3] AS a, MAP(ARRAY['a'], ARRAY[1]) AS m, ROW(1, 2) AS r
SELECT split_part(email, '@', 2) AS domain, count(*) FROM users GROUP BY 1 HAVING count(*) > 10
SELECT position('@' IN email) AS at_pos, trim(BOTH ' ' FROM name) AS n, substring(name FROM 2 FOR 3) AS s FROM users
SELECT current_date, current_timestamp, localtimestamp, now() AS t
SELECT interval '2' day AS two_days, TIMESTAMP '2024-01-01 00:00:00' + INTERVAL '1' HOUR AS later
SELECT id, sequence(1, 5) AS s, zip(a, b) AS z, array_join(array_distinct(tags), ',') AS t FROM things
SELECT * FROM orders TABLESAMPLE BERNOULLI (10)
SELECT * FROM iceberg.analytics.orders FOR TIMESTAMP AS OF TIMESTAMP '2024-01-01 00:00:00 UTC'
SELECT id, if(amount > 0, 'credit', 'debit') AS kind, try(amount / qty) AS unit FROM ledger
SELECT lower(u&'\0041BC') AS s, X'65683F' AS b
select Region, COUNT(*) from Sales.Orders group by Region
VALUES (1, 'a'), (2, 'b')
TABLE sales.orders
SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS t(id, name)
SELECT json_value(payload, 'lax $.id') AS id, json_query(payload, 'lax $.items') AS items FROM raw_events
SELECT ntile(4) OVER (ORDER BY score) AS quartile, first_value(name) OVER (PARTITION BY team ORDER BY score DESC) AS top FROM players
