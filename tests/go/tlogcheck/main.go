// Command tlogcheck verifies Veche's transparency-log output with Go's golang.org/x/mod/sumdb/note and
// sumdb/tlog, which nobody on the Veche team wrote. It reads a JSON document on stdin (see tests/unit/test_tlog_go.py),
// checks every signed checkpoint, recomputes each tree hash from the served tiles (tlog.TileHashReader authenticates
// every tile against the signed root), checks every inclusion and consistency proof and compares it with the proof
// Go computes itself, and prints a note Go signed with a key it generated, for Veche's code to verify in return.
package main

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type inclusion struct {
	Index int64    `json:"index"`
	Size  int64    `json:"size"`
	Entry string   `json:"entry"`
	Proof []string `json:"proof"`
}

type consistency struct {
	Old   int64    `json:"old"`
	New   int64    `json:"new"`
	Proof []string `json:"proof"`
}

type input struct {
	Vkey        string            `json:"vkey"`
	Origin      string            `json:"origin"`
	Checkpoints []string          `json:"checkpoints"`
	Tiles       map[string]string `json:"tiles"`
	Inclusion   []inclusion       `json:"inclusion"`
	Consistency []consistency     `json:"consistency"`
}

type output struct {
	Checkpoints int               `json:"checkpoints"`
	Inclusion   int               `json:"inclusion"`
	Consistency int               `json:"consistency"`
	Roots       map[string]string `json:"roots"`
	GoVkey      string            `json:"go_vkey"`
	GoNote      string            `json:"go_note"`
}

// tiles serves the tiles Veche wrote, by their C2SP path (tlog-tiles has no height element in the path).
type tiles map[string]string

func (t tiles) Height() int { return 8 }

func (t tiles) ReadTiles(want []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(want))
	for i, tile := range want {
		path := strings.Replace(tile.Path(), "tile/8/", "tile/", 1)
		data, ok := t[path]
		if !ok {
			return nil, fmt.Errorf("tile %s not served", path)
		}
		raw, err := base64.StdEncoding.DecodeString(data)
		if err != nil {
			return nil, err
		}
		out[i] = raw
	}
	return out, nil
}

func (t tiles) SaveTiles([]tlog.Tile, [][]byte) {}

func hash(b64 string) tlog.Hash {
	var h tlog.Hash
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(raw) != len(h) {
		fail("bad hash %q", b64)
	}
	copy(h[:], raw)
	return h
}

func hashes(b64s []string) []tlog.Hash {
	out := make([]tlog.Hash, len(b64s))
	for i, s := range b64s {
		out[i] = hash(s)
	}
	return out
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(1)
}

func sameProof(a, b []tlog.Hash) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func main() {
	var in input
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		fail("input: %v", err)
	}
	verifier, err := note.NewVerifier(in.Vkey)
	if err != nil {
		fail("verifier key: %v", err)
	}
	out := output{Roots: map[string]string{}}
	trees := map[int64]tlog.Tree{}
	var largest tlog.Tree
	for _, text := range in.Checkpoints {
		n, err := note.Open([]byte(text), note.VerifierList(verifier))
		if err != nil {
			fail("checkpoint does not verify: %v", err)
		}
		lines := strings.SplitN(n.Text, "\n", 4)
		if len(lines) < 4 || lines[0] != in.Origin {
			fail("checkpoint of another origin: %q", lines[0])
		}
		size, err := strconv.ParseInt(lines[1], 10, 64)
		if err != nil {
			fail("size: %v", err)
		}
		tree := tlog.Tree{N: size, Hash: hash(lines[2])}
		trees[size] = tree
		if size >= largest.N {
			largest = tree
		}
		out.Checkpoints++
	}
	reader := tlog.TileHashReader(largest, tiles(in.Tiles))
	for size, tree := range trees {
		root, err := tlog.TreeHash(size, reader)
		if err != nil {
			fail("tree hash of %d from the tiles: %v", size, err)
		}
		if root != tree.Hash {
			fail("tree of %d: tiles give %v, checkpoint says %v", size, root, tree.Hash)
		}
		out.Roots[strconv.FormatInt(size, 10)] = base64.StdEncoding.EncodeToString(root[:])
	}
	for _, p := range in.Inclusion {
		tree, ok := trees[p.Size]
		if !ok {
			fail("inclusion proof against an unsigned size %d", p.Size)
		}
		entry, err := base64.StdEncoding.DecodeString(p.Entry)
		if err != nil {
			fail("entry: %v", err)
		}
		proof := hashes(p.Proof)
		if err := tlog.CheckRecord(proof, p.Size, tree.Hash, p.Index, tlog.RecordHash(entry)); err != nil {
			fail("inclusion of %d in %d: %v", p.Index, p.Size, err)
		}
		mine, err := tlog.ProveRecord(p.Size, p.Index, reader)
		if err != nil || !sameProof(mine, proof) {
			fail("inclusion of %d in %d: Go proves it otherwise (%v)", p.Index, p.Size, err)
		}
		out.Inclusion++
	}
	for _, p := range in.Consistency {
		old, okOld := trees[p.Old]
		tree, okNew := trees[p.New]
		if !okOld || !okNew {
			fail("consistency between unsigned sizes %d, %d", p.Old, p.New)
		}
		proof := hashes(p.Proof)
		if err := tlog.CheckTree(proof, p.New, tree.Hash, p.Old, old.Hash); err != nil {
			fail("consistency %d -> %d: %v", p.Old, p.New, err)
		}
		mine, err := tlog.ProveTree(p.New, p.Old, reader)
		if err != nil || !sameProof(mine, proof) {
			fail("consistency %d -> %d: Go proves it otherwise (%v)", p.Old, p.New, err)
		}
		out.Consistency++
	}
	skey, vkey, err := note.GenerateKey(rand.Reader, in.Origin+"/go")
	if err != nil {
		fail("key: %v", err)
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		fail("signer: %v", err)
	}
	text := fmt.Sprintf("%s\n%d\n%s\n", in.Origin, largest.N, base64.StdEncoding.EncodeToString(largest.Hash[:]))
	signed, err := note.Sign(&note.Note{Text: text}, signer)
	if err != nil {
		fail("sign: %v", err)
	}
	out.GoVkey, out.GoNote = vkey, string(signed)
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(out); err != nil {
		fail("output: %v", err)
	}
	os.Stdout.Write(buf.Bytes())
}
