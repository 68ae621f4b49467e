#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# contrib/droptop-grafana.json: valid JSON with a host variable on the
# instance label; every metric it names is one droptop(8) documents and
# droptop writes; the panels cover the waterfall, verdict, queues, CPUs,
# sockets and findings; every query passes promtool, as recording rules.
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
need_cmd jq
G=$TESTS_DIR/../contrib/droptop-grafana.json

jq -e . "$G" >/dev/null 2>"$TMP/err" || fail "not valid JSON: $(cat "$TMP/err")"
jq -e '.templating.list[] | select(.name == "host" and .type == "query")
	| .query.query | test("^label_values\\(droptop_[a-z_]+, *instance\\)$")' \
	"$G" >/dev/null || fail "no host variable on the instance label"
jq -r '.panels[] | .targets[]? | .expr' "$G" >"$TMP/exprs"
n=$(grep -c . "$TMP/exprs")
[ "$n" -ge 10 ] || fail "only $n queries"
# Each query selects on the host.
if grep -v 'instance=~"\$host"' "$TMP/exprs" >"$TMP/nohost"; then
	fail "queries without the host: $(cat "$TMP/nohost")"
fi

# Documented: the metric list of droptop(8), PROMETHEUS.
sed -n 's/^\.BR\{0,1\} //p' "$MAN_DIR/droptop.8.in" | grep -o 'droptop_[a-z_]*' |
	sort -u >"$TMP/documented"
[ "$(grep -c . "$TMP/documented")" -ge 20 ] || fail "man page metric list not found"
grep -o 'droptop_[a-zA-Z0-9_]*' "$G" | sort -u >"$TMP/used"
for m in $(cat "$TMP/used"); do
	grep -qx "$m" "$TMP/documented" || fail "$m: not a metric droptop(8) documents"
done
# Every metric selector is one of droptop's: no other exporter's names.
grep -o '[a-zA-Z_:][a-zA-Z0-9_:]*{' "$TMP/exprs" | tr -d '{' | sort -u >"$TMP/selectors"
for m in $(cat "$TMP/selectors"); do
	grep -qx "$m" "$TMP/documented" || fail "query selects $m, not a droptop metric"
done
for m in droptop_stage_lost_packets_per_second droptop_verdict_stage \
	droptop_queue_rx_packets_per_second droptop_cpu_softirq_ratio \
	droptop_socket_drops_per_second droptop_finding; do
	grep -q "$m{" "$TMP/exprs" || fail "no panel shows $m"
done
pass "$n queries, $(grep -c . "$TMP/used") droptop metrics, all documented"

command -v promtool >/dev/null 2>&1 || skip "needs promtool (apt-get install prometheus) to check the queries"
{
	echo "groups:"
	echo "  - name: grafana"
	echo "    rules:"
	i=0
	while IFS= read -r e; do
		i=$((i + 1))
		printf '      - record: grafana:query%d\n        expr: %s\n' "$i" \
			"$(printf '%s' "$e" | sed 's/\$host/host1/g' | jq -R .)"
	done <"$TMP/exprs"
} >"$TMP/rules.yml"
promtool check rules "$TMP/rules.yml" >"$TMP/out" 2>&1 ||
	fail "promtool: $(cat "$TMP/out")"
grep -q "SUCCESS: $n rules found" "$TMP/out" || fail "promtool: $(cat "$TMP/out")"
pass "promtool accepts all $n queries"
