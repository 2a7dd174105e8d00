"""The client scripts' minifier: spaces and comments out, the program the same."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from consent._assets import minify_js


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("var a = 1 ;  // note\nvar b = a + +a;", "var a=1;var b=a+ +a;\n"),
        ('var s = "a // not a comment /* nor this */";', 'var s="a // not a comment /* nor this */";\n'),
        ("var r = /\\/\\/[/*]x/g.test(s) ;", "var r=/\\/\\/[/*]x/g.test(s);\n"),
        ("return /x/ .test(y)", "return/x/.test(y)\n"),  # after a keyword, '/' starts a regular expression
        ("var q = a / b / c;", "var q=a/b/c;\n"),
        ("if (x) y()\n(z)", "if(x)y()\n(z)\n"),  # a line break that ASI reads stays
        ("f() {\n  g();\n}\nh();", "f(){g();}\nh();\n"),
        ("a = b\n++c", "a=b\n++c\n"),
        ("x = 'it\\'s' /* c */ + y", "x='it\\'s'+y\n"),
        ("typeof a === 'b' && new Foo", "typeof a==='b'&&new Foo\n"),
    ],
)
def test_minify_js(source, expected):
    assert minify_js(source) == expected


@pytest.mark.skipif(shutil.which("node") is None, reason="node not installed (see .ci/run)")
def test_the_minified_program_computes_the_same(tmp_path):
    source = """
    var parts = "a b//c".split(" "), n = 3 - -1, re = /[/]+(x)?/g;
    function f(v) { return v
      + 1 }
    var out = [parts.length, n, "x//y".replace(re, "-"), f(1), typeof f, 10 / 2 / 5];
    console.log(JSON.stringify(out));
    """
    outputs = []
    for name, text in (("a.js", source), ("b.js", minify_js(source))):
        path = tmp_path / name
        path.write_text(text)
        done = subprocess.run(["node", str(path)], capture_output=True, text=True, timeout=30)
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1] == '[2,4,"x-y",2,"function",1]\n'
