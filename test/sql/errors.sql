-- Bad input gets a clear error with a proper SQLSTATE.
\set VERBOSITY sqlstate
SELECT dormant.rfm_agg('infinity'::timestamptz, 1);
SELECT dormant.rfm_agg('-infinity'::timestamptz, -1);
SELECT dormant.rfm_agg(now(), 'NaN');
SELECT dormant.rfm_agg(now(), 'Infinity');
SELECT dormant.rfm_agg(now(), '-Infinity');
SELECT dormant.classify(dormant.rfm_agg(now(), 1), now(), 'no_such_policy');
SELECT dormant.depth(dormant.rfm_agg(now(), 1), now(), 'no_such_policy');
SELECT dormant.classify(dormant.rfm_agg(now(), 1), 'infinity', 'b2c');
\set VERBOSITY default
SELECT dormant.rfm_agg('infinity'::timestamptz, 1);
SELECT dormant.rfm_agg(now(), 'NaN');
SELECT dormant.classify(dormant.rfm_agg(now(), 1), now(), 'no_such_policy');
