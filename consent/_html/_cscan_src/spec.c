/* Part of consent/_html/_cscan.c (the compiled specification (the Spec type)): one translation unit, included once from there, so the
 * compiler inlines across the parts. Not compiled on its own. */

/* -- the compiled specification ----------------------------------------------------------------------- */

typedef struct {
    u8 len;
    u8 name[MAXNAME + 1];
    u8 kind;
} AttrRule;

typedef struct {
    int used;
    u8 len;
    u8 name[MAXNAME + 1];
    int start, end, pause, content, has_needles, any_needle;
    int nattrs;
    AttrRule attrs[MAXATTRS];
    Needles needles;
    PyObject *pyname;
    /* search_when: the needles are searched only when this attribute is absent or has one of these values */
    u8 when_len;
    u8 when_name[MAXNAME + 1];
    int nvalues;
    u8 values[32][40];
    u8 value_lens[32];
} TagRule;

#define TAGSLOTS 128

typedef struct {
    PyObject_HEAD
    TagRule tags[TAGSLOTS];
    int nwild;
    AttrRule wild[MAXATTRS];
    HostSet hosts;
    Needles css;
    int wild_present; /* some attribute watched everywhere triggers by its presence */
    u8 wild_first[256]; /* the first bytes (either case) of the attributes watched everywhere */
    uint32_t wild_lens;  /* bit n: one of them is n bytes long */
    u8 marker[64];
    Py_ssize_t markerlen;
    Py_ssize_t max_tag, max_content;
} SpecObject;

static unsigned name_slot(const u8 *name, int len) { return (unsigned)(fnv(name, len) & (TAGSLOTS - 1)); }

static const TagRule *spec_rule_h(const SpecObject *sp, const u8 *name, int len, uint64_t h) {
    if (len < 1 || len > MAXNAME) return NULL;
    unsigned slot = (unsigned)(h & (TAGSLOTS - 1));
    for (int probes = 0; probes < TAGSLOTS; probes++) {
        const TagRule *r = &sp->tags[slot];
        if (!r->used) return NULL;
        if (r->len == len && memcmp(r->name, name, len) == 0) return r;
        slot = (slot + 1) & (TAGSLOTS - 1);
    }
    return NULL;
}

static const TagRule *spec_rule(const SpecObject *sp, const u8 *name, int len) {
    return spec_rule_h(sp, name, len, fnv(name, len));
}

static int attr_kind(const AttrRule *rules, int n, const u8 *name, int len) {
    for (int i = 0; i < n; i++)
        if (rules[i].len == len && memcmp(rules[i].name, name, len) == 0) return rules[i].kind;
    return 0;
}

static int fill_attrs(AttrRule *out, int *count, PyObject *mapping) {
    if (!PyDict_Check(mapping)) { PyErr_SetString(PyExc_TypeError, "attrs must be a dict"); return -1; }
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    *count = 0;
    while (PyDict_Next(mapping, &pos, &key, &value)) {
        char *p; Py_ssize_t l;
        if (*count >= MAXATTRS) { PyErr_SetString(PyExc_ValueError, "too many attribute rules"); return -1; }
        if (PyBytes_AsStringAndSize(key, &p, &l) < 0) return -1;
        if (l < 1 || l > MAXNAME) { PyErr_SetString(PyExc_ValueError, "attribute names are 1-31 bytes"); return -1; }
        long kind = PyLong_AsLong(value);
        if (kind == -1 && PyErr_Occurred()) return -1;
        AttrRule *a = &out[(*count)++];
        a->len = (u8)l;
        memcpy(a->name, p, l);
        a->kind = (u8)kind;
    }
    return 0;
}

/* search_when = (attribute name, (value, …)) */
static int fill_when(TagRule *r, PyObject *when) {
    PyObject *name, *values;
    if (!PyArg_ParseTuple(when, "SO", &name, &values)) return -1;
    if (PyBytes_GET_SIZE(name) < 1 || PyBytes_GET_SIZE(name) > MAXNAME) {
        PyErr_SetString(PyExc_ValueError, "search_when: a 1-31 byte attribute name");
        return -1;
    }
    r->when_len = (u8)PyBytes_GET_SIZE(name);
    memcpy(r->when_name, PyBytes_AS_STRING(name), r->when_len);
    PyObject *fast = PySequence_Fast(values, "search_when values must be a sequence of bytes");
    if (!fast) return -1;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
    for (Py_ssize_t i = 0; i < n; i++) {
        char *p; Py_ssize_t l;
        if (PyBytes_AsStringAndSize(PySequence_Fast_GET_ITEM(fast, i), &p, &l) < 0 || l > 39 || i >= 32) {
            Py_DECREF(fast);
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "search_when: at most 32 values of 39 bytes");
            return -1;
        }
        memcpy(r->values[i], p, l);
        r->value_lens[i] = (u8)l;
    }
    r->nvalues = (int)n;
    Py_DECREF(fast);
    return 0;
}

/* consent/_html/spec.py: searches() */
static int rule_searches(const TagRule *r, int present, const u8 *v, Py_ssize_t n) {
    if (!r->when_len || !present) return 1;
    if (memchr(v, '&', n)) return 1;
    while (n && is_ws(v[0])) { v++; n--; }
    while (n && is_ws(v[n - 1])) n--;
    for (int i = 0; i < r->nvalues; i++) {
        if (r->value_lens[i] != n) continue;
        Py_ssize_t k = 0;
        while (k < n && lower(v[k]) == r->values[i][k]) k++;
        if (k == n) return 1;
    }
    return 0;
}

static void spec_dealloc(SpecObject *sp) {
    for (int i = 0; i < TAGSLOTS; i++) {
        if (sp->tags[i].used) { needles_free(&sp->tags[i].needles); Py_XDECREF(sp->tags[i].pyname); }
    }
    hosts_free(&sp->hosts);
    needles_free(&sp->css);
    Py_TYPE(sp)->tp_free((PyObject *)sp);
}

/* Spec(tags, attrs, hosts, marker, css_needles, max_tag, max_content)
 * tags: {name: (start, end, pause, attrs, content, needles)} */
static int spec_init(SpecObject *sp, PyObject *args, PyObject *kw) {
    PyObject *tags, *attrs, *hosts, *css;
    Py_buffer marker;
    Py_ssize_t max_tag, max_content;
    if (!PyArg_ParseTuple(args, "O!O!Oy*Onn", &PyDict_Type, &tags, &PyDict_Type, &attrs, &hosts, &marker, &css,
                          &max_tag, &max_content))
        return -1;
    int rc = -1;
    if (marker.len > 63) { PyErr_SetString(PyExc_ValueError, "marker too long"); goto done; }
    memcpy(sp->marker, marker.buf, marker.len);
    sp->markerlen = marker.len;
    sp->max_tag = max_tag;
    sp->max_content = max_content;
    if (fill_attrs(sp->wild, &sp->nwild, attrs) < 0) goto done;
    for (int i = 0; i < sp->nwild; i++) {
        if (sp->wild[i].kind == K_PRESENT) sp->wild_present = 1;
        u8 first = sp->wild[i].name[0];
        sp->wild_first[first] = sp->wild_first[(first >= 'a' && first <= 'z') ? first - 32 : first] = 1;
        sp->wild_lens |= 1u << sp->wild[i].len;
    }
    if (hosts_init(&sp->hosts, hosts) < 0) goto done;
    if (needles_init(&sp->css, css, 1) < 0) goto done;
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    int count = 0;
    while (PyDict_Next(tags, &pos, &key, &value)) {
        char *p; Py_ssize_t l;
        int start, end, pause, content;
        PyObject *rule_attrs, *needles;
        if (PyBytes_AsStringAndSize(key, &p, &l) < 0) goto done;
        if (l < 1 || l > MAXNAME || ++count > TAGSLOTS / 2) {
            PyErr_SetString(PyExc_ValueError, "tag names are 1-31 bytes, at most 64 rules");
            goto done;
        }
        PyObject *when = Py_None;
        int any_needle = 0;
        if (!PyArg_ParseTuple(value, "iiiO!iO|Oi", &start, &end, &pause, &PyDict_Type, &rule_attrs, &content, &needles,
                              &when, &any_needle))
            goto done;
        unsigned slot = name_slot((u8 *)p, (int)l);
        while (sp->tags[slot].used) slot = (slot + 1) & (TAGSLOTS - 1);
        TagRule *r = &sp->tags[slot];
        r->used = 1;
        r->len = (u8)l;
        memcpy(r->name, p, l);
        r->start = start; r->end = end; r->pause = pause; r->content = content;
        Py_INCREF(key);
        r->pyname = key;
        if (fill_attrs(r->attrs, &r->nattrs, rule_attrs) < 0) goto done;
        if (needles_init(&r->needles, needles, content == 2) < 0) goto done;
        r->has_needles = r->needles.n > 0;
        r->any_needle = any_needle;
        if (when != Py_None && fill_when(r, when) < 0) goto done;
    }
    rc = 0;
done:
    PyBuffer_Release(&marker);
    return rc;
}

static PyTypeObject SpecType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "consent._html._cscan.Spec",
    .tp_basicsize = sizeof(SpecObject),
    .tp_dealloc = (destructor)spec_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A compiled scan specification (see consent/_html/spec.py).",
    .tp_init = (initproc)spec_init,
    .tp_new = PyType_GenericNew,
};
