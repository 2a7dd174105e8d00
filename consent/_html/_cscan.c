/* The compiled HTML scanner of asgi-consent: the same contract as consent/_html/pyscan.py (its reference),
 * at C speed. It tokenizes as the HTML standard does (tags and attributes, comments, doctypes, raw text,
 * script data escape states, foreign content) and reports only what a compiled Spec asks for.
 *
 * Everything it reads is untrusted page content: every access is bounds-checked against the buffer's
 * length, nothing is written into the buffer, and all memory is owned by the two Python objects. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#define MAXNAME 31
#define MAXATTRS 16
#define MAXDEPTH 512

enum { K_URL = 1, K_SRCSET = 2, K_CSS = 3, K_PRESENT = 4 };
enum { NEVER = 0, FILTER = 1, ALWAYS = 2 };
enum { EV_START = 1, EV_CONTENT = 2, EV_END = 3, EV_DOCTYPE = 4, EV_TRUNCATED = 5, EV_TOO_LONG = 6 };
enum { M_DATA, M_RAW, M_COMMENT, M_CDATA, M_SKIP, M_HOLD, M_PLAIN };
enum { SD, ESC, DESC };
enum { S_NAME, S_BEFORE, S_ATTR, S_AFTER_NAME, S_BEFORE_VALUE, S_DQ, S_SQ, S_UNQUOTED, S_AFTER_QUOTED, S_PLAIN };
enum { F_SVG = 1, F_MATH = 2, F_HTML = 3 };

typedef unsigned char u8;
static PyObject *EMPTY; /* b"" */

static inline u8 lower(u8 c) { return (c >= 'A' && c <= 'Z') ? (u8)(c + 32) : c; }
static inline int is_ws(u8 c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; }
static inline int is_alpha(u8 c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/* The parts, in dependency order (each a section of one translation unit). */
#include "_cscan_src/sets.c"
#include "_cscan_src/spec.c"
#include "_cscan_src/urls.c"
#include "_cscan_src/tags.c"
#include "_cscan_src/events.c"
#include "_cscan_src/raw.c"
#include "_cscan_src/states.c"

/* -- the Python type --------------------------------------------------------------------------------------- */

static PyObject *scanner_scan(Scanner *sc, PyObject *args) {
    Py_buffer view;
    Py_ssize_t pos;
    int final;
    if (!PyArg_ParseTuple(args, "y*np", &view, &pos, &final)) return NULL;
    if (pos < 0 || pos > view.len) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_ValueError, "pos out of range");
        return NULL;
    }
    sc->b = view.buf;
    sc->n = view.len;
    sc->final = final;
    sc->paused = 0;
    sc->failed = 0;
    sc->wait = NULL;
    sc->events = PyList_New(0);
    if (!sc->events) { PyBuffer_Release(&view); return NULL; }
    for (;;) {
        int mode = sc->mode;
        if (mode == M_DATA) pos = data(sc, pos);
        else if (mode == M_HOLD) pos = content(sc, 0, sc->hold_tag, 1);
        else if (mode == M_RAW) pos = do_raw(sc, pos);
        else if (mode == M_COMMENT) {
            Py_ssize_t found = comment_end(sc->b, sc->n, pos);
            if (found < 0) pos = sc->final ? sc->n : (sc->n - 3 > pos ? sc->n - 3 : pos);
            else { sc->mode = M_DATA; pos = found; }
        } else if (mode == M_CDATA) {
            Py_ssize_t found = -1;
            for (Py_ssize_t p = pos; p + 3 <= sc->n; p++) {
                const u8 *br = memchr(sc->b + p, ']', sc->n - p);
                if (!br) break;
                p = br - sc->b;
                if (p + 3 <= sc->n && sc->b[p + 1] == ']' && sc->b[p + 2] == '>') { found = p; break; }
            }
            if (found < 0) pos = sc->final ? sc->n : (sc->n - 2 > pos ? sc->n - 2 : pos);
            else { sc->mode = M_DATA; pos = found + 3; }
        } else if (mode == M_SKIP) pos = skip(sc, pos);
        else { pos = sc->n; break; } /* M_PLAIN */
        if (sc->failed || sc->mode == mode || sc->mode == M_HOLD || sc->paused) break;
    }
    PyBuffer_Release(&view);
    sc->b = NULL;
    PyObject *events = sc->events;
    sc->events = NULL;
    if (sc->failed) { Py_DECREF(events); return NULL; }
    PyObject *wait = sc->wait ? PyBytes_FromString(sc->wait) : Py_NewRef(Py_None);
    if (!wait) { Py_DECREF(events); return NULL; }
    PyObject *result = Py_BuildValue("(NnNO)", events, pos, wait, sc->paused ? Py_True : Py_False);
    return result;
}

static PyObject *scanner_update(Scanner *sc, PyObject *arg) {
    if (!PyObject_TypeCheck(arg, &SpecType)) { PyErr_SetString(PyExc_TypeError, "expected a Spec"); return NULL; }
    Py_INCREF(arg);
    Py_SETREF(sc->spec, (SpecObject *)arg);
    Py_RETURN_NONE;
}

static int scanner_init(Scanner *sc, PyObject *args, PyObject *kw) {
    PyObject *spec;
    if (!PyArg_ParseTuple(args, "O!", &SpecType, &spec)) return -1;
    Py_INCREF(spec);
    Py_XSETREF(sc->spec, (SpecObject *)spec);
    sc->mode = M_DATA;
    sc->depth = 0;
    return 0;
}

static void scanner_dealloc(Scanner *sc) {
    Py_XDECREF(sc->spec);
    Py_XDECREF(sc->events);
    Py_TYPE(sc)->tp_free((PyObject *)sc);
}

static PyObject *scanner_depth(Scanner *sc, void *closure) { return PyLong_FromLong(sc->depth); }
static PyObject *scanner_mode(Scanner *sc, void *closure) { return PyLong_FromLong(sc->mode); }

static PyMethodDef scanner_methods[] = {
    {"scan", (PyCFunction)scanner_scan, METH_VARARGS,
     "scan(buf, pos, final) -> (events, stop, wait, paused); see consent/_html/pyscan.py"},
    {"update", (PyCFunction)scanner_update, METH_O, "update(spec): scan what follows with another Spec"},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef scanner_getset[] = {
    {"depth", (getter)scanner_depth, NULL, "SVG/MathML nesting depth", NULL},
    {"mode", (getter)scanner_mode, NULL, "the lexical state between calls", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject ScannerType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "consent._html._cscan.Scanner",
    .tp_basicsize = sizeof(Scanner),
    .tp_dealloc = (destructor)scanner_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "The compiled HTML scanner: Scanner(spec).scan(buf, pos, final).",
    .tp_methods = scanner_methods,
    .tp_getset = scanner_getset,
    .tp_init = (initproc)scanner_init,
    .tp_new = PyType_GenericNew,
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_cscan", "The compiled scanner of asgi-consent.", -1, NULL};

PyMODINIT_FUNC PyInit__cscan(void) {
    if (PyType_Ready(&SpecType) < 0 || PyType_Ready(&ScannerType) < 0) return NULL;
    build_classes();
    PyObject *m = PyModule_Create(&module);
    if (!m) return NULL;
    EMPTY = PyBytes_FromStringAndSize("", 0);
    EMPTY_TUPLE = PyTuple_New(0);
    if (!EMPTY || !EMPTY_TUPLE || PyModule_AddObjectRef(m, "Spec", (PyObject *)&SpecType) < 0 ||
        PyModule_AddObjectRef(m, "Scanner", (PyObject *)&ScannerType) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
