import { brokerProperties, connectProperties, renderProperties } from "./kafka-properties";

describe("kafka properties", () => {
  it("keeps the broker and its controller on loopback, with replication factor 1", () => {
    const properties = brokerProperties({ brokerPort: 49092, controllerPort: 49093, dataDir: "/state/data" });
    expect(properties).toMatchObject({
      "process.roles": "broker,controller",
      "controller.quorum.voters": "1@127.0.0.1:49093",
      listeners: "PLAINTEXT://127.0.0.1:49092,CONTROLLER://127.0.0.1:49093",
      "advertised.listeners": "PLAINTEXT://127.0.0.1:49092",
      "log.dirs": "/state/data",
      "offsets.topic.replication.factor": 1,
      "transaction.state.log.replication.factor": 1,
    });
  });

  it("gives the worker JSON without schemas, ${env:…} in connector configs and a short offset flush", () => {
    const properties = connectProperties({
      brokers: "127.0.0.1:49092",
      restPort: 48083,
      groupId: "g",
      topicPrefix: "g",
    });
    expect(properties).toMatchObject({
      "bootstrap.servers": "127.0.0.1:49092",
      listeners: "http://127.0.0.1:48083",
      "key.converter": "org.apache.kafka.connect.json.JsonConverter",
      "key.converter.schemas.enable": false,
      "value.converter.schemas.enable": false,
      "config.providers": "env",
      "config.providers.env.class": "org.apache.kafka.common.config.provider.EnvVarConfigProvider",
      "config.storage.replication.factor": 1,
      "offset.storage.replication.factor": 1,
      "status.storage.replication.factor": 1,
      "offset.flush.interval.ms": 1000,
    });
  });

  it("renders key=value lines under a comment", () => {
    expect(renderProperties("generated", { a: 1, "b.c": "x", d: false })).toBe("# generated\na=1\nb.c=x\nd=false\n");
  });
});
