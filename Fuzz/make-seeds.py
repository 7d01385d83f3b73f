#!/usr/bin/env python3
"""Writes the binary seeds of Fuzz/corpus/abi and the JSON-RPC answers of Fuzz/corpus/jsonrpc:
real ABI encodings (aggregate3 calls and results, ERC-20 and Chainlink answers) and node answers
of the shapes the chain clients read. Run from the repository root; it rewrites only the files
it names."""
import base64
import json
import os


def word(value):
    return value.to_bytes(32, "big")


def padded(data):
    return data + bytes(-len(data) % 32)


def dynamic_bytes(data):
    return word(len(data)) + padded(data)


def address(text):
    return word(int(text, 16))


def tuple_of(parts):
    """parts: (is_dynamic, encoding); heads then tails, offsets from the tuple's start."""
    head_size = 32 * len(parts)
    head, tail = b"", b""
    for dynamic, encoding in parts:
        if dynamic:
            head += word(head_size + len(tail))
            tail += encoding
        else:
            head += encoding
    return head + tail


def array_of_dynamic(elements):
    return word(len(elements)) + tuple_of([(True, element) for element in elements])


SELECTOR = {
    "aggregate3": bytes.fromhex("82ad56cb"),
    "balanceOf": bytes.fromhex("70a08231"),
    "getEthBalance": bytes.fromhex("4d2301cc"),
    "decimals": bytes.fromhex("313ce567"),
    "symbol": bytes.fromhex("95d89b41"),
}
WALLET = "d8da6bf26964af9d7eed9e03e53415d37aa96045"
USDC = "a0b86991c6218b36c1d19d4a2e9eb0ce3606eb48"
MULTICALL = "ca11bde05977b3631167028862be2a173976ca11"

balance_call = SELECTOR["balanceOf"] + address(WALLET)
eth_call = SELECTOR["getEthBalance"] + address(WALLET)
calls = [
    tuple_of([(False, address(USDC)), (False, word(1)), (True, dynamic_bytes(balance_call))]),
    tuple_of([(False, address(MULTICALL)), (False, word(1)), (True, dynamic_bytes(eth_call))]),
]
aggregate3_args = tuple_of([(True, array_of_dynamic(calls))])
results = [
    tuple_of([(False, word(1)), (True, dynamic_bytes(word(1_234_567_890)))]),
    tuple_of([(False, word(1)), (True, dynamic_bytes(word(3 * 10**18)))]),
    tuple_of([(False, word(0)), (True, dynamic_bytes(b""))]),
]
aggregate3_result = tuple_of([(True, array_of_dynamic(results))])
symbol_string = tuple_of([(True, dynamic_bytes(b"USDC"))])
round_data = word(110680464442257320247) + word(3_012_45000000) + word(1_733_000_000) * 2 + word(110680464442257320247)

abi = {
    "aggregate3-result": b"(bool,bytes)[]\n" + aggregate3_result,
    "aggregate3-result-raw": aggregate3_result,
    "aggregate3-call-args": b"(address,bool,bytes)[]\n" + aggregate3_args,
    "aggregate3-calldata": SELECTOR["aggregate3"] + aggregate3_args,
    "balance-of-calldata": balance_call,
    "uint256-balance": b"uint256\n" + word(1_234_567_890),
    "decimals": b"uint8\n" + word(6),
    "decimals-raw": word(18),
    "symbol-string": b"string\n" + symbol_string,
    "symbol-bytes32": b"MKR".ljust(32, b"\0"),
    "latest-round-data": b"uint80,uint256,uint256,uint256,uint80\n" + round_data,
    "nested": b"(uint8[2],string,bytes32)[],bool\n"
    + tuple_of([
        (True, array_of_dynamic([tuple_of([(False, word(1) + word(2)), (True, dynamic_bytes(b"a")), (False, padded(b"x"))])])),
        (False, word(1)),
    ]),
    "offset-past-end": b"bytes\n" + word(4096),
    "count-too-large": b"uint256[]\n" + word(32) + word(2**64),
    "truncated-word": b"address\n" + bytes(31),
    "dirty-address": b"address\n" + b"\xff" * 32,
}

def rpc(result=None, error=None, id=1):
    answer = {"jsonrpc": "2.0", "id": id}
    if error is not None:
        answer["error"] = error
    else:
        answer["result"] = result
    return answer


def account(data, lamports=2039280):
    return {"data": [base64.b64encode(data).decode(), "base64"], "executable": False,
            "lamports": lamports, "owner": "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA", "rentEpoch": 18446744073709551615,
            "space": len(data)}


def b58decode(text):
    alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
    number = 0
    for character in text:
        number = number * 58 + alphabet.index(character)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return bytes(len(text) - len(text.lstrip("1"))) + body


MINT = "EPjFWdd5AufqSSqeM2qN1xwFqnoiEmPcGR4ybFQ1zqt1"
OWNER = "9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM"
token_account = b58decode(MINT) + b58decode(OWNER) + (1_500_000).to_bytes(8, "little") + bytes(36) + bytes([1]) + bytes(165 - 109)
mint_account = bytes(36) + (10**15).to_bytes(8, "little") + bytes([6, 1]) + bytes(82 - 46)
context = {"apiVersion": "2.0.15", "slot": 341197053}

jsonrpc = {
    "eth-chain-id": rpc("0x1"),
    "eth-block-number-string-id": rpc("0x1406f40", id="1"),
    "eth-get-balance": rpc("0x29a2241af62c0000"),
    "eth-call-aggregate3": rpc("0x" + aggregate3_result.hex()),
    "eth-call-undecodable": rpc("0x1234"),
    "eth-error": rpc(error={"code": -32000, "message": "execution reverted", "data": "0x"}),
    "eth-batch": [rpc("0x" + word(6).hex(), id=2), rpc("0x" + symbol_string.hex(), id=1),
                  rpc(error={"code": -32005, "message": "limit exceeded"}, id=3)],
    "batch-single-error": rpc(error={"code": -32600, "message": "batch too large"}, id=None),
    "solana-slot": rpc(341197053),
    "solana-token-accounts": rpc({"context": context, "value": [
        {"pubkey": "7UX2i7SucgLMQcfZ75s3VXmZZY4YRUyJN9X1RgfMoDUi", "account": account(token_account)}]}),
    "solana-multiple-accounts": rpc({"context": context, "value": [
        {"data": ["", "base64"], "executable": False, "lamports": 1_000_000_000, "owner": "11111111111111111111111111111111",
         "rentEpoch": 0, "space": 0},
        None, account(token_account), account(mint_account, lamports=1461600)]}),
    "solana-error": rpc(error={"code": -32602, "message": "Invalid param: WrongSize"}),
}

def write(folder, name, data):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as file:
        file.write(data)


for name, data in abi.items():
    write("Fuzz/corpus/abi", name, data)
for name, answer in jsonrpc.items():
    write("Fuzz/corpus/jsonrpc", name + ".json", json.dumps(answer, separators=(",", ":")).encode())
write("Fuzz/corpus/jsonrpc", "not-json", b"<html><body>502 Bad Gateway</body></html>")
write("Fuzz/corpus/jsonrpc", "truncated.json", json.dumps(rpc("0x" + aggregate3_result.hex())).encode()[:90])
