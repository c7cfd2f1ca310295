# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""The one pass of :mod:`openftz.einvoice.parse`, compiled: the same walk as ``parse._Walk``, over libxml2's nodes.

The pure-Python walk reads the tree through lxml's element proxies; creating a proxy and its tag, text and attributes
for every element is about as costly as the parse itself. This walk reads the C nodes of the same tree through
lxml's public C API (``lxml.includes.etreepublic``) and builds exactly the same model: the element names, text and
attributes are read the way lxml reads them (``.tag``, ``.text``, ``.items()``, ``len()``), and everything it does
with them follows ``parse._Walk`` line for line. ``tests/einvoice/test_compiled_walk.py`` checks that the two build
identical models. Built by ``pip install -e .`` where a C compiler is found (``setup.py``); without one, the
pure-Python walk is used.
"""
from cpython.object cimport PyObject, PyTypeObject, descrsetfunc
from cpython.unicode cimport PyUnicode_DecodeUTF8
from libc.string cimport strcmp, strlen

from lxml.includes cimport tree
from lxml.includes.etreepublic cimport _Element, elementFactory, import_lxml__etree

from . import parse as _parse
from .model import _UNREAD, Value

import_lxml__etree()

cdef enum:
    NAME_SLOTS = 256  # the element names remembered per document (a UBL invoice uses about 60)

cdef int FIRST = _parse.FIRST
cdef int MANY = _parse.MANY
cdef int ONE = _parse.ONE
cdef int INNER = _parse.INNER
cdef dict _NO_ATTRIBUTES = _parse._NO_ATTRIBUTES
cdef object _facts_of = _parse._facts_of
cdef dict _FACTS = {}  # element name → its _Facts or None (UBL names only, bounded as parse._NAMES is)
cdef Py_ssize_t _FACTS_LIMIT = _parse._NAMES_LIMIT
cdef object _MISSING = object()

cdef class Node:
    """A ``parse._Node`` with its shape's facts, as C fields: the walk reads a few of them for every element, and
    reading a Python object's attribute costs more than everything else the walk does with the element."""

    cdef str name, key, inner_key
    cdef int what
    cdef object field  # the position of the field in its object's list, or None
    cdef bint named, has_facts, amount, binary
    cdef object site, attributes
    cdef dict children  # element name → Node
    cdef object cls  # the shape's: the class, its blank fields, the positions of its tuple fields, of has_children
    cdef list blank
    cdef tuple tuples
    cdef Py_ssize_t has_children


cdef dict _nodes(dict nodes):
    """``parse._Node``s by Clark tag → ``Node``s by element name (which is what this walk computes)."""
    cdef Node c
    out = {}
    for node in nodes.values():
        c = Node()
        c.name, c.key, c.inner_key, c.what, c.field = node.name, node.key, node.inner_key, node.what, node.field
        c.named, c.has_facts, c.amount, c.binary = node.named, node.has_facts, node.amount, node.binary
        c.site, c.attributes = node.site, node.attributes
        c.children = _nodes(node.children) if node.children is not None else None
        shape = node.shape
        c.has_children = -1
        if shape is not None and shape.cls is not None:
            c.cls, c.blank, c.tuples = shape.cls, shape.blank, shape.tuples
            if shape.has_children is not None:
                c.has_children = shape.has_children
        out[c.name] = c
    return out


cdef dict _ROOT_NODES = {kind: _nodes(nodes) for kind, nodes in _parse._ROOT_NODES.items()}

cdef const char* NS_CBC = b"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
cdef const char* NS_CAC = b"urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
cdef const char* NS_EXT = b"urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2"


cdef object _UNREAD_NUMBER = _UNREAD
cdef PyTypeObject* _VALUE = <PyTypeObject*>Value
# The slots of Value, set through their descriptors' own setter: what ``value.text = text`` ends in, without looking
# the name up in the class on every call.
cdef object _TEXT = Value.__dict__["text"], _PATH = Value.__dict__["path"], _ATTRS = Value.__dict__["attrs"]
cdef object _NUMBER = Value.__dict__["_number"]
cdef type _SLOT = type(_TEXT)
cdef descrsetfunc _set_slot = (<PyTypeObject*>_SLOT).tp_descr_set
cdef tuple _NO_ARGS = ()


cdef inline object _value(str text, str path, attrs):
    """``Value(text, path, attrs)`` without calling its ``__init__`` (a Python frame, the cost of the walk's
    commonest step): a new instance with its four slots set."""
    value = _VALUE.tp_new(Value, <PyObject*>_NO_ARGS, NULL)
    _set_slot(_TEXT, value, text)
    _set_slot(_PATH, value, path)
    _set_slot(_ATTRS, value, attrs)
    _set_slot(_NUMBER, value, _UNREAD_NUMBER)
    return value


cdef inline str _str(const char* s):
    return PyUnicode_DecodeUTF8(s, strlen(s), NULL)


cdef inline bint _has_children(tree.xmlNode* c) noexcept:
    """``len(element) > 0`` in lxml, given the element's first child: lxml counts elements, comments, entity
    references and processing instructions as children."""
    while c is not NULL:
        if (c.type == tree.XML_ELEMENT_NODE or c.type == tree.XML_COMMENT_NODE
                or c.type == tree.XML_ENTITY_REF_NODE or c.type == tree.XML_PI_NODE):
            return True
        c = c.next
    return False


cdef inline tree.xmlNode* _text_node(tree.xmlNode* c) noexcept:
    """``c`` if it is a text node, skipping XInclude markers in a run of text nodes; else NULL (as lxml does)."""
    while c is not NULL:
        if c.type == tree.XML_TEXT_NODE or c.type == tree.XML_CDATA_SECTION_NODE:
            return c
        if c.type == tree.XML_XINCLUDE_START or c.type == tree.XML_XINCLUDE_END:
            c = c.next
        else:
            return NULL
    return NULL


cdef str _text(tree.xmlNode* element):
    """``element.text or ""`` in lxml: the adjacent text nodes before its first child that is not text."""
    cdef tree.xmlNode* start = _text_node(element.children)
    cdef tree.xmlNode* c = start
    cdef const char* found = NULL
    cdef int count = 0
    while c is not NULL:
        if c.content is not NULL and c.content[0] != 0:
            found = <const char*>c.content
        count += 1
        c = _text_node(c.next)
    if found is NULL:
        return ""
    if count == 1:
        return _str(found)
    parts = []
    c = start
    while c is not NULL:
        if c.content is not NULL:
            parts.append(_str(<const char*>c.content))
        c = _text_node(c.next)
    return "".join(parts)


cdef str _name(tree.xmlNode* c):
    """The element's name as ``parse._name`` gives it: ``cbc:ID`` in the UBL namespaces, else its Clark tag."""
    cdef const char* href
    local = _str(<const char*>c.name)
    if c.ns is NULL or c.ns.href is NULL:
        return local
    href = <const char*>c.ns.href
    if strcmp(href, NS_CBC) == 0:
        return "cbc:" + local
    if strcmp(href, NS_CAC) == 0:
        return "cac:" + local
    if strcmp(href, NS_EXT) == 0:
        return "ext:" + local
    return "{" + _str(href) + "}" + local


cdef object _facts(str name):
    facts = _FACTS.get(name, _MISSING)
    if facts is _MISSING:
        facts = _facts_of(name)
        if name[0] != "{" and ":" in name and len(_FACTS) < _FACTS_LIMIT:
            _FACTS[name] = facts
    return facts


cdef dict _attributes(_Element root, tree.xmlNode* c):
    """``dict(element.items())`` in lxml: the value of each attribute by its Clark name, in document order."""
    cdef tree.xmlAttr* a = c.properties
    cdef tree.xmlNode* t
    attributes = {}
    while a is not NULL:
        if a.type == tree.XML_ATTRIBUTE_NODE:
            name = _str(<const char*>a.name)
            if a.ns is not NULL and a.ns.href is not NULL:
                name = "{" + _str(<const char*>a.ns.href) + "}" + name
            t = a.children
            if t is NULL:
                attributes[name] = ""
            elif t.next is NULL and t.type == tree.XML_TEXT_NODE:
                attributes[name] = _str(<const char*>t.content)
            else:  # entity references left in the tree by another parser: lxml reads them
                return dict(elementFactory(root._doc, c).items())
        a = a.next
    return attributes


cdef inline void _put(list fields, Py_ssize_t i, bint first_only, item) except *:
    """Field ``i`` takes ``item``: the first one only (FIRST, ONE), or every one in a list (MANY, ALL)."""
    if first_only:
        if fields[i] is None:
            fields[i] = item
        return
    items = fields[i]
    if items.__class__ is list:
        (<list>items).append(item)
    else:
        fields[i] = [item]


cdef class Walk:
    """``parse._Walk`` over libxml2's nodes; the same state, read by ``parse._document``."""

    cdef public dict elements, attributes, codes
    cdef public set names, attribute_names
    cdef public list decimals, binaries, empties
    cdef _Element _root
    cdef const void* _name_keys[NAME_SLOTS]
    cdef const void* _ns_keys[NAME_SLOTS]
    cdef PyObject* _name_values[NAME_SLOTS]  # borrowed: _names_held keeps them
    cdef list _names_held

    def __init__(self):
        self.elements = {}
        self.names = set()
        self.attributes = {}
        self.attribute_names = set()
        self.decimals = []
        self.binaries = []
        self.empties = []
        self.codes = {}
        self._names_held = []

    def top(self, _Element root, str path, str kind, list fields):
        self._root = root
        self.walk(root._c_node, path, "", kind, _ROOT_NODES[kind], fields, -1)

    cdef str name_of(self, tree.xmlNode* c):
        """``_name(c)``, remembered for this document by the C strings of the name and its namespace (which the
        parser shares between elements of one name): the same str object for every element of a name."""
        cdef size_t h = ((<size_t>c.name >> 3) ^ (<size_t>c.ns >> 4)) & (NAME_SLOTS - 1)
        cdef int probe
        for probe in range(8):
            if self._name_keys[h] == NULL:
                name = _name(c)
                self._name_keys[h], self._ns_keys[h] = c.name, c.ns
                self._name_values[h] = <PyObject*>name
                self._names_held.append(name)
                return name
            if self._name_keys[h] == c.name and self._ns_keys[h] == c.ns:
                return <str>self._name_values[h]
            h = (h + 1) & (NAME_SLOTS - 1)
        return _name(c)

    cdef void walk(self, tree.xmlNode* el, str path, str key, str pname, dict nodes, list fields,
                   Py_ssize_t has_children_field) except *:
        cdef tree.xmlNode* child = el.children
        cdef Py_ssize_t n, i
        cdef bint has_children
        cdef int what
        cdef Node node
        cdef dict elements = self.elements
        cdef dict counts = {}
        cdef list sub
        prefix = path + "/"
        while child is not NULL:
            if child.type != tree.XML_ELEMENT_NODE:  # text, comments, processing instructions
                child = child.next
                continue
            name = self.name_of(child)
            found = nodes.get(name)
            seen = counts.get(name)
            if seen is None:
                counts[name] = 1
                cpath = prefix + name
            else:
                n = <Py_ssize_t>seen + 1
                counts[name] = n
                cpath = f"{prefix}{name}[{n}]"
            if found is None:
                self.other(child, cpath, key + name, name, pname, _facts(name))
                child = child.next
                continue
            node = <Node>found
            ckey = node.key
            if node.named and ckey not in elements:
                elements[ckey] = cpath
                self.names.add(name)
            if child.properties is not NULL:
                attrs = self.attributes_of(ckey, cpath, _attributes(self._root, child), node.attributes)
            else:
                attrs = _NO_ATTRIBUTES
            what = node.what
            has_children = _has_children(child.children)
            if what <= MANY or node.has_facts or not has_children:
                text = _text(child)
                if not has_children and (not text or text.isspace()):
                    self.empties.append(cpath)
                if what <= MANY or node.has_facts:
                    value = _value(text, cpath, attrs)
                    if node.has_facts:
                        self.record(value, text, node.amount, node.binary, node.site)
                    if what <= MANY:
                        _put(fields, node.field, what == FIRST, value)
                        if has_children:
                            self.rest(child, cpath, node.inner_key, name)
                        child = child.next
                        continue
            if what == INNER:
                if node.field is not None:
                    i = node.field
                    fields[i] += 1
                if has_children:
                    self.walk(child, cpath, node.inner_key, name, node.children, fields, -1)
                child = child.next
                continue
            sub = node.blank.copy()
            sub[0] = cpath
            if has_children:
                self.walk(child, cpath, node.inner_key, name, node.children, sub, node.has_children)
                for i in node.tuples:
                    if sub[i].__class__ is list:
                        sub[i] = tuple(sub[i])
            _put(fields, node.field, what == ONE, node.cls(*sub))
            child = child.next
        if has_children_field >= 0 and counts:
            fields[has_children_field] = True

    cdef void rest(self, tree.xmlNode* el, str path, str key, str pname) except *:
        cdef tree.xmlNode* child = el.children
        cdef dict counts = {}
        cdef Py_ssize_t n
        while child is not NULL:
            if child.type != tree.XML_ELEMENT_NODE:
                child = child.next
                continue
            name = self.name_of(child)
            seen = counts.get(name)
            if seen is None:
                counts[name] = 1
                cpath = f"{path}/{name}"
            else:
                n = <Py_ssize_t>seen + 1
                counts[name] = n
                cpath = f"{path}/{name}[{n}]"
            self.other(child, cpath, key + name, name, pname, _facts(name))
            child = child.next

    cdef void other(self, tree.xmlNode* child, str cpath, str ckey, str name, str pname, facts) except *:
        cdef bint has_children
        if ckey not in self.elements:
            self.elements[ckey] = cpath
            self.names.add(name)
        if child.properties is not NULL:
            attrs = self.attributes_of(ckey, cpath, _attributes(self._root, child), None)
        else:
            attrs = _NO_ATTRIBUTES
        has_children = _has_children(child.children)
        if facts is not None or not has_children:
            text = _text(child)
            if not has_children and (not text or text.isspace()):
                self.empties.append(cpath)
            if facts is not None:
                site = facts.site
                if site is None and facts.sites_by_parent is not None:
                    site = facts.sites_by_parent.get(pname)
                self.record(_value(text, cpath, attrs), text,
                            facts.amount and "cac:Price/cac:AllowanceCharge" not in ckey, facts.binary, site)
        if has_children:
            self.rest(child, cpath, ckey + "/", name)

    cdef dict attributes_of(self, str key, str path, dict attrs, wanted):
        """``attrs``, with the first occurrence of each (of those ``wanted``, if given) recorded."""
        attributes = self.attributes
        for a in attrs:
            if wanted is not None and a not in wanted:
                continue
            akey = f"{key}@{a}"
            if akey not in attributes:
                attributes[akey] = path
                self.attribute_names.add(a)
        return attrs

    cdef void record(self, value, str text, bint amount, bint binary, site) except *:
        if amount:
            if "." in text and len(text.partition(".")[2]) > 2:
                self.decimals.append(value)
        elif binary:
            self.binaries.append(value)
        if site is not None:
            codes = self.codes.get(site)
            if codes is None:
                self.codes[site] = [value]
            else:
                codes.append(value)
