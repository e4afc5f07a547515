"""`studio graph --format json` reads as the data it holds, one node a line."""

import json

from studio.cli.graph_command import readable_json


def test_the_json_holds_the_same_data_with_each_node_on_a_line_of_its_own():
    data = {
        "dataflow": "features",
        "nodes": [
            {"name": f"n{i}", "dependencies": ["a", "b"], "tags": {"x": 1}} for i in range(3)
        ],
        "edges": [],
        "config": {"mode": "fast", "rows": 3},
        "odd": [object.__name__],
    }
    text = readable_json(data)
    assert json.loads(text) == json.loads(json.dumps(data, default=repr))
    lines = text.splitlines()
    assert [line for line in lines if '"name": "n' in line] == [
        f'    {{"name": "n{i}", "dependencies": ["a", "b"], "tags": {{"x": 1}}}}'
        + ("," if i < 2 else "")
        for i in range(3)
    ]
    assert '  "edges": [],' in lines
