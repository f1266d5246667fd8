async function search(db, req) {
  // ruleid: javascript.node.mongodb-where-injection
  return db.collection("users").find({ $where: "this.name == '" + req.query.name + "'" }).toArray();
}

async function byAge(User, minAge) {
  return User.findOne({
    active: true,
    // ruleid: javascript.node.mongodb-where-injection
    $where: `this.age > ${minAge}`,
  });
}

async function constant(db) {
  // ok: javascript.node.mongodb-where-injection
  return db.collection("users").find({ $where: "this.credits == this.debits" }).toArray();
}

async function operators(db, minAge) {
  // ok: javascript.node.mongodb-where-injection
  return db.collection("users").find({ age: { $gt: Number(minAge) } }).toArray();
}

async function withFunction(db) {
  // ok: javascript.node.mongodb-where-injection
  return db.collection("users").find({ $where: function () { return this.credits === this.debits; } }).toArray();
}
