# Turn bats' TAP output into JUnit XML (bats' own junit report writer is racy in 1.8.2).
# usage: tap2junit SUITE TIMESTAMP < results.tap > junit.xml (conformance/junit.xsd)
function esc(s) {
	gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); gsub(/>/, "\\&gt;", s); gsub(/"/, "\\&quot;", s)
	return s
}
function flush() {
	if (name == "") return
	out = out sprintf("  <testcase classname=\"%s\" name=\"%s\">", esc(suite), esc(name))
	if (state == "fail") out = out sprintf("<failure message=\"failed\">%s</failure>", esc(detail))
	if (state == "skip") out = out sprintf("<skipped message=\"%s\"/>", esc(reason))
	out = out "</testcase>\n"
	name = ""; detail = ""
}
BEGIN { suite = ARGV[1]; stamp = ARGV[2]; ARGV[1] = ""; ARGV[2] = ""; n = 0; f = 0; s = 0 }
/^ok / || /^not ok / {
	flush()
	state = ($1 == "not") ? "fail" : "pass"
	line = $0
	sub(/^(not )?ok [0-9]+ /, "", line)
	if (match(line, / # skip/)) {
		reason = substr(line, RSTART + 8); sub(/^ /, "", reason)
		line = substr(line, 1, RSTART - 1); state = "skip"; s++
	}
	if (state == "fail") f++
	name = line; n++
	next
}
/^# / { if (name != "") detail = detail substr($0, 3) "\n"; next }
END {
	flush()
	printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
	printf("<testsuites><testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"%d\" timestamp=\"%s\">\n%s</testsuite></testsuites>\n", esc(suite), n, f, s, esc(stamp), out)
}
