/* Part of consent/_html/_cscan.c (the scanner's state, its events and foreign content): one translation unit, included once from there, so the
 * compiler inlines across the parts. Not compiled on its own. */

/* -- the scanner ------------------------------------------------------------------------------------------ */

typedef struct {
    PyObject_HEAD
    SpecObject *spec;
    int mode;
    u8 raw_name[16];
    int raw_len, esc;
    Py_ssize_t raw_scanned, hold_tag;
    int hold_report, hold_search;
    u8 hold_bits[32]; /* the needles found in the held content so far */
    int skip_state;
    u8 then_raw[16];
    int then_raw_len;
    int depth;
    u8 stack[MAXDEPTH];
    /* during a call */
    const u8 *b;
    Py_ssize_t n;
    int final, paused, failed;
    const char *wait;
    PyObject *events;
} Scanner;

static PyObject *EMPTY_TUPLE; /* () */

/* the needles found, as a tuple of their indices */
static PyObject *hits_tuple(const u8 *bits) {
    int count = 0;
    for (int k = 0; k < 256; k++) if (bits[k >> 3] & (1u << (k & 7))) count++;
    if (!count) return Py_NewRef(EMPTY_TUPLE);
    PyObject *t = PyTuple_New(count);
    if (!t) return NULL;
    for (int k = 0, i = 0; k < 256; k++) {
        if (!(bits[k >> 3] & (1u << (k & 7)))) continue;
        PyObject *v = PyLong_FromLong(k);
        if (!v) { Py_DECREF(t); return NULL; }
        PyTuple_SET_ITEM(t, i++, v);
    }
    return t;
}

static int any_bit(const u8 *bits) {
    for (int i = 0; i < 32; i++) if (bits[i]) return 1;
    return 0;
}

static void emit_hits(Scanner *sc, int kind, PyObject *name, Py_ssize_t p, Py_ssize_t e, Py_ssize_t c, PyObject *hits);

static void emit(Scanner *sc, int kind, PyObject *name, Py_ssize_t p, Py_ssize_t e, Py_ssize_t c, int unused) {
    (void)unused;
    emit_hits(sc, kind, name, p, e, c, EMPTY_TUPLE);
}

static void emit_hits(Scanner *sc, int kind, PyObject *name, Py_ssize_t p, Py_ssize_t e, Py_ssize_t c, PyObject *hits) {
    if (sc->failed) return;
    if (!hits) { sc->failed = 1; return; }
    PyObject *ev = Py_BuildValue("(iOnnnO)", kind, name, p, e, c, hits);
    if (!ev || PyList_Append(sc->events, ev) < 0) sc->failed = 1;
    Py_XDECREF(ev);
    if (PyBytes_GET_SIZE(name) > 0) {
        const TagRule *r = spec_rule(sc->spec, (const u8 *)PyBytes_AS_STRING(name), (int)PyBytes_GET_SIZE(name));
        if (r && r->pause) sc->paused = 1;
    }
}

/* the event name of a tag: the rule's interned name, or a new lower-case copy of the tag's */
static void emit_tag(Scanner *sc, int kind, const TagRule *rule, Py_ssize_t p, Py_ssize_t name_end, Py_ssize_t e,
                     Py_ssize_t c, int hit) {
    if (rule) { emit(sc, kind, rule->pyname, p, e, c, hit); return; }
    Py_ssize_t ns = p + 1 + (sc->b[p + 1] == '/');
    PyObject *name = PyBytes_FromStringAndSize(NULL, name_end - ns);
    if (!name) { sc->failed = 1; return; }
    u8 *out = (u8 *)PyBytes_AS_STRING(name);
    for (Py_ssize_t k = ns; k < name_end; k++) out[k - ns] = lower(sc->b[k]);
    emit(sc, kind, name, p, e, c, hit);
    Py_DECREF(name);
}

static int in_foreign(const Scanner *sc) {
    return sc->depth > 0 && (sc->stack[sc->depth - 1] == F_SVG || sc->stack[sc->depth - 1] == F_MATH);
}

static void break_out(Scanner *sc) {
    while (sc->depth > 0 && (sc->stack[sc->depth - 1] == F_SVG || sc->stack[sc->depth - 1] == F_MATH)) sc->depth--;
}

static void foreign_step(Scanner *sc, int flags, int is_end, int self_closing, int font_breaks, int annot_html) {
    if (sc->depth == 0 && !(flags & (N_SVG | N_MATH))) return; /* plain HTML: only <svg> and <math> matter */
    int top = sc->depth ? sc->stack[sc->depth - 1] : 0;
    int f = (flags & N_SVG) ? F_SVG : (flags & N_MATH) ? F_MATH : 0;
    int ip_name = (flags & (N_SVG_IP | N_MATH_IP)) != 0;
    if (is_end) {
        if (f) {
            int found = 0;
            for (int i = 0; i < sc->depth; i++) if (sc->stack[i] == f) found = 1;
            if (found) while (sc->stack[--sc->depth] != f) ;
        } else if (sc->depth && top == F_HTML && ip_name) {
            sc->depth--;
        } else if ((top == F_SVG || top == F_MATH) && (flags & N_BR_P)) {
            break_out(sc);
        }
        return;
    }
    if (top == F_SVG || top == F_MATH) {
        if ((flags & N_BREAKOUT) || ((flags & N_FONT) && font_breaks)) {
            break_out(sc);
            return;
        }
        int ip = (top == F_SVG && (flags & N_SVG_IP)) || (top == F_MATH && (flags & N_MATH_IP));
        if (ip && (flags & N_ANNOT)) ip = annot_html;
        if (self_closing || sc->depth >= MAXDEPTH) return;
        if (ip) sc->stack[sc->depth++] = F_HTML;
        else if (f) sc->stack[sc->depth++] = (u8)f;
        return;
    }
    if (f && !self_closing && sc->depth < MAXDEPTH) sc->stack[sc->depth++] = (u8)f;
}
