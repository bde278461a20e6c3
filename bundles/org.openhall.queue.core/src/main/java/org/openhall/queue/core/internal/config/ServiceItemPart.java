package org.openhall.queue.core.internal.config;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/** Configuration org.openhall.serviceitem-&lt;name&gt;: see {@link Ocds.ServiceItem}. */
@Component(configurationPid = "org.openhall.serviceitem", configurationPolicy = ConfigurationPolicy.REQUIRE, service = {}, immediate = true)
@Designate(ocd = Ocds.ServiceItem.class, factory = true)
public final class ServiceItemPart extends PartComponent {

    public ServiceItemPart() {
        super(ConfigParsers::serviceItem);
    }
}
