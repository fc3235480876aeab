# Reads OpenMetrics text on stdin with the Prometheus Python client's OpenMetrics parser
# (Debian: python3-prometheus-client; prometheus_client.openmetrics.parser, which raises on
# text that breaks the format) and prints the families as JSON for the test to compare.
import json
import sys

from prometheus_client.openmetrics.parser import text_string_to_metric_families

families = []
for f in text_string_to_metric_families(sys.stdin.read()):
    families.append({
        "name": f.name,
        "type": f.type,
        "help": f.documentation,
        "samples": [{"name": s.name, "labels": s.labels, "value": s.value} for s in f.samples],
    })
json.dump(families, sys.stdout)
