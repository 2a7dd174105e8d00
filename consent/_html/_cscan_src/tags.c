/* Part of consent/_html/_cscan.c (tags: names, classes, attributes): one translation unit, included once from there, so the
 * compiler inlines across the parts. Not compiled on its own. */

/* -- tags ------------------------------------------------------------------------------------------------ */

/* Byte classes for the tag's inner loops: one load and test per byte instead of a chain of compares. */
enum { C_WS = 1, C_SLASH = 2, C_GT = 4, C_EQ = 8, C_QUOTE = 16 };
static const u8 CC[256] = {['\t'] = C_WS, ['\n'] = C_WS, ['\f'] = C_WS, ['\r'] = C_WS, [' '] = C_WS,
                           ['/'] = C_SLASH, ['>'] = C_GT, ['='] = C_EQ, ['"'] = C_QUOTE, ['\''] = C_QUOTE};

typedef struct {
    Py_ssize_t end;        /* after '>', or -1: the buffer ends first */
    Py_ssize_t name_end;
    int nlen;              /* -1: longer than MAXNAME */
    u8 name[MAXNAME + 1];  /* lower case */
    int is_end, self_closing, trigger, font_breaks, annot_html, saw_encoding;
    int flags;            /* name_class of the name */
    const void *rule;     /* the spec's TagRule for the name, or NULL */
    int when_present;     /* the rule's search_when attribute: seen, and its value */
    Py_ssize_t when_vs, when_ve;
} Tag;

/* What the tokenizer and the tree builder's foreign-content rules need to know of a tag name: one lookup. */
enum { N_RAW = 1, N_SVG = 2, N_MATH = 4, N_SVG_IP = 8, N_MATH_IP = 16, N_BREAKOUT = 32, N_FONT = 64, N_ANNOT = 128,
       N_BR_P = 256, N_PLAINTEXT = 512 };

typedef struct { const char *name; int len; int flags; } NameClass;
static const NameClass CLASSES[] = {
    {"script", 6, N_RAW}, {"style", 5, N_RAW}, {"xmp", 3, N_RAW}, {"iframe", 6, N_RAW}, {"noembed", 7, N_RAW},
    {"noframes", 8, N_RAW}, {"textarea", 8, N_RAW}, {"title", 5, N_RAW | N_SVG_IP}, {"plaintext", 9, N_RAW | N_PLAINTEXT},
    {"svg", 3, N_SVG}, {"math", 4, N_MATH}, {"foreignobject", 13, N_SVG_IP}, {"desc", 4, N_SVG_IP},
    {"mi", 2, N_MATH_IP}, {"mo", 2, N_MATH_IP}, {"mn", 2, N_MATH_IP}, {"ms", 2, N_MATH_IP}, {"mtext", 5, N_MATH_IP},
    {"annotation-xml", 14, N_MATH_IP | N_ANNOT}, {"font", 4, N_FONT},
    {"br", 2, N_BREAKOUT | N_BR_P}, {"p", 1, N_BREAKOUT | N_BR_P},
    {"b", 1, N_BREAKOUT}, {"big", 3, N_BREAKOUT}, {"blockquote", 10, N_BREAKOUT}, {"body", 4, N_BREAKOUT},
    {"center", 6, N_BREAKOUT}, {"code", 4, N_BREAKOUT}, {"dd", 2, N_BREAKOUT}, {"div", 3, N_BREAKOUT},
    {"dl", 2, N_BREAKOUT}, {"dt", 2, N_BREAKOUT}, {"em", 2, N_BREAKOUT}, {"embed", 5, N_BREAKOUT},
    {"h1", 2, N_BREAKOUT}, {"h2", 2, N_BREAKOUT}, {"h3", 2, N_BREAKOUT}, {"h4", 2, N_BREAKOUT}, {"h5", 2, N_BREAKOUT},
    {"h6", 2, N_BREAKOUT}, {"head", 4, N_BREAKOUT}, {"hr", 2, N_BREAKOUT}, {"i", 1, N_BREAKOUT}, {"img", 3, N_BREAKOUT},
    {"li", 2, N_BREAKOUT}, {"listing", 7, N_BREAKOUT}, {"menu", 4, N_BREAKOUT}, {"meta", 4, N_BREAKOUT},
    {"nobr", 4, N_BREAKOUT}, {"ol", 2, N_BREAKOUT}, {"pre", 3, N_BREAKOUT}, {"ruby", 4, N_BREAKOUT},
    {"s", 1, N_BREAKOUT}, {"small", 5, N_BREAKOUT}, {"span", 4, N_BREAKOUT}, {"strong", 6, N_BREAKOUT},
    {"strike", 6, N_BREAKOUT}, {"sub", 3, N_BREAKOUT}, {"sup", 3, N_BREAKOUT}, {"table", 5, N_BREAKOUT},
    {"tt", 2, N_BREAKOUT}, {"u", 1, N_BREAKOUT}, {"ul", 2, N_BREAKOUT}, {"var", 3, N_BREAKOUT},
};

#define CLASS_SLOTS 256
static signed char class_slots[CLASS_SLOTS]; /* index into CLASSES by name hash, -1: empty (built at import) */

static void build_classes(void) {
    memset(class_slots, -1, sizeof class_slots);
    for (size_t i = 0; i < sizeof CLASSES / sizeof CLASSES[0]; i++) {
        unsigned slot = (unsigned)(fnv((const u8 *)CLASSES[i].name, CLASSES[i].len) & (CLASS_SLOTS - 1));
        while (class_slots[slot] >= 0) slot = (slot + 1) & (CLASS_SLOTS - 1);
        class_slots[slot] = (signed char)i;
    }
}

/* name_class, given the name's hash */
static int name_class_h(const u8 *name, int len, uint64_t h) {
    if (len < 1 || len > 14) return 0;
    for (unsigned slot = (unsigned)(h & (CLASS_SLOTS - 1));; slot = (slot + 1) & (CLASS_SLOTS - 1)) {
        int i = class_slots[slot];
        if (i < 0) return 0;
        const NameClass *c = &CLASSES[i];
        if (c->len == len && memcmp(c->name, name, len) == 0) return c->flags;
    }
}

static int name_class(const u8 *name, int len) { return name_class_h(name, len, fnv(name, len)); }

static int in_list(const u8 *name, int len, const char *const *list) {
    for (int i = 0; list[i]; i++)
        if ((int)strlen(list[i]) == len && memcmp(list[i], name, len) == 0) return 1;
    return 0;
}

static const char *const FONT_ATTRS[] = {"color", "face", "size", NULL};

/* One attribute is complete: note what it triggers. */
static void on_attr(const SpecObject *sp, const TagRule *eff, Tag *tg, const u8 *b, Py_ssize_t as, Py_ssize_t ae,
                    int has_value, Py_ssize_t vs, Py_ssize_t ve) {
    Py_ssize_t alen = ae - as;
    if (!eff && !tg->rule && !(tg->flags & (N_FONT | N_ANNOT))) {
        /* A tag no rule names: only an attribute watched everywhere can matter (most are none of them). */
        if (tg->trigger || tg->is_end || alen > MAXNAME || !(sp->wild_lens >> alen & 1) || !sp->wild_first[b[as]])
            return;
    }
    u8 name[MAXNAME + 1];
    int short_name = alen <= MAXNAME;
    if (short_name) for (Py_ssize_t i = 0; i < alen; i++) name[i] = lower(b[as + i]);
    if ((tg->flags & N_FONT) && short_name && in_list(name, (int)alen, FONT_ATTRS)) tg->font_breaks = 1;
    if ((tg->flags & N_ANNOT) && short_name && alen == 8 && memcmp(name, "encoding", 8) == 0 && !tg->saw_encoding) {
        tg->saw_encoding = 1;
        Py_ssize_t l = has_value ? ve - vs : 0;
        tg->annot_html = (l == 9 && ci_eq(b + vs, "text/html", 9)) || (l == 21 && ci_eq(b + vs, "application/xhtml+xml", 21));
    }
    const TagRule *rule = tg->rule;
    if (rule && rule->when_len && !tg->when_present && short_name && alen == rule->when_len &&
        memcmp(name, rule->when_name, alen) == 0) {
        tg->when_present = 1;
        tg->when_vs = has_value ? vs : 0;
        tg->when_ve = has_value ? ve : 0;
    }
    if (tg->trigger || tg->is_end) return;
    if (eff && sp->markerlen && alen >= sp->markerlen) {
        Py_ssize_t i = 0;
        while (i < sp->markerlen && lower(b[as + i]) == sp->marker[i]) i++;
        if (i == sp->markerlen) { tg->trigger = 1; return; }
    }
    if (!short_name) return;
    int kind = eff ? attr_kind(eff->attrs, eff->nattrs, name, (int)alen) : 0;
    if (!kind) kind = attr_kind(sp->wild, sp->nwild, name, (int)alen);
    if (!kind) return;
    if (kind == K_PRESENT) { tg->trigger = 1; return; }
    if (!has_value) return;
    const u8 *v = b + vs;
    Py_ssize_t n = ve - vs;
    if (kind == K_URL) tg->trigger = url_triggers(&sp->hosts, v, n);
    else if (kind == K_SRCSET) tg->trigger = srcset_triggers(&sp->hosts, v, n);
    else if (kind == K_CSS) tg->trigger = css_triggers(sp, v, n);
}

/* nothing but whitespace and '/': no attribute at all */
static int bare(const u8 *p, Py_ssize_t n) {
    for (Py_ssize_t i = 0; i < n; i++) if (!is_ws(p[i]) && p[i] != '/') return 0;
    return 1;
}

/* Parse the tag at b[t] ('<' then a letter, or "</" then a letter) as the tokenizer does. */
static void parse_tag(const SpecObject *sp, const u8 *b, Py_ssize_t t, Py_ssize_t n, Tag *tg) {
    memset(tg, 0, sizeof *tg);
    tg->end = -1;
    Py_ssize_t i = t + 1;
    if (b[i] == '/') { tg->is_end = 1; i++; }
    Py_ssize_t ns = i;
    while (i < n && !(CC[b[i]] & (C_WS | C_SLASH | C_GT))) i++;
    tg->name_end = i;
    Py_ssize_t nl = i - ns;
    tg->nlen = nl <= MAXNAME ? (int)nl : -1;
    uint64_t h = 0;
    if (tg->nlen > 0) {
        for (Py_ssize_t k = 0; k < nl; k++) tg->name[k] = lower(b[ns + k]);
        h = fnv(tg->name, tg->nlen);
    }
    const TagRule *rule = tg->nlen > 0 ? spec_rule_h(sp, tg->name, tg->nlen, h) : NULL;
    tg->rule = rule;
    tg->flags = tg->nlen > 0 ? name_class_h(tg->name, tg->nlen, h) : 0;
    if (i < n && (tg->is_end || !rule || rule->start == NEVER) && !(tg->flags & (N_FONT | N_ANNOT))) {
        /* An end tag, or a start tag nothing stops at: when no quote comes before the first '>', the tag ends
         * there; and a start tag without '=' has no values, so no watched attribute can trigger (unless one
         * triggers by its presence alone: then only a tag with no attributes at all is sure). */
        const u8 stop = C_GT | C_QUOTE | (tg->is_end ? 0 : C_EQ); /* one pass to the first of them */
        Py_ssize_t j = i;
        while (j < n && !(CC[b[j]] & stop)) j++;
        if (j < n && b[j] == '>' && (tg->is_end || !sp->wild_present || bare(b + i, j - i))) {
            tg->end = j + 1;
            tg->self_closing = b[j - 1] == '/' && j - 1 >= i;
            return;
        }
    }
    const TagRule *eff = rule && rule->start == FILTER ? rule : NULL;
    int state = S_BEFORE, slash = 0; /* slash: the separator just before is a '/' (a self-closing tag) */
    Py_ssize_t as = 0, ae = 0;
    for (;;) {
        if (i >= n) return;
        u8 c = b[i];
        switch (state) {
        case S_BEFORE:
            if (is_ws(c) || c == '/') { slash = c == '/'; i++; break; }
            if (c == '>') { tg->self_closing = slash; tg->end = i + 1; return; }
            as = i++;
            state = S_ATTR;
            break;
        case S_ATTR:
            while (i < n && !(CC[b[i]] & (C_WS | C_SLASH | C_GT | C_EQ))) i++;
            ae = i;
            if (i >= n) return;
            c = b[i];
            if (c == '=') { i++; state = S_BEFORE_VALUE; }
            else if (is_ws(c)) state = S_AFTER_NAME;
            else {
                on_attr(sp, eff, tg, b, as, ae, 0, 0, 0);
                state = S_BEFORE;
                slash = c == '/';
                if (slash) i++;
            }
            break;
        case S_AFTER_NAME:
            if (is_ws(c)) { i++; break; }
            if (c == '=') { i++; state = S_BEFORE_VALUE; break; }
            on_attr(sp, eff, tg, b, as, ae, 0, 0, 0);
            slash = 0;
            if (c == '/') { i++; slash = 1; state = S_BEFORE; }
            else if (c == '>') state = S_BEFORE;
            else { as = i++; state = S_ATTR; }
            break;
        case S_BEFORE_VALUE:
            if (is_ws(c)) { i++; break; }
            slash = 0;
            if (c == '"' || c == '\'') {
                /* most values are short: look a few bytes ahead before calling memchr */
                Py_ssize_t k = i + 1, lim = i + 17 < n ? i + 17 : n;
                while (k < lim && b[k] != c) k++;
                const u8 *close = k < lim ? b + k : lim < n ? memchr(b + lim, c, n - lim) : NULL;
                if (!close) return;
                on_attr(sp, eff, tg, b, as, ae, 1, i + 1, close - b);
                i = close - b + 1;
                state = S_AFTER_QUOTED;
            } else if (c == '>') {
                on_attr(sp, eff, tg, b, as, ae, 1, i, i);
                state = S_BEFORE;
            } else {
                Py_ssize_t vs = i;
                while (i < n && !(CC[b[i]] & (C_WS | C_GT))) i++;
                if (i >= n) return;
                on_attr(sp, eff, tg, b, as, ae, 1, vs, i);
                state = S_BEFORE;
            }
            break;
        default: /* S_AFTER_QUOTED */
            if (is_ws(c) || c == '/') { slash = c == '/'; i++; state = S_BEFORE; }
            else if (c == '>') state = S_BEFORE;
            else { as = i++; state = S_ATTR; }
            break;
        }
    }
}
